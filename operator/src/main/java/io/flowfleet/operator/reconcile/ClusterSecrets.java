package io.flowfleet.operator.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.flowfleet.operator.validation.SecretLookup;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Looks referenced Secrets up with a GET each (RBAC: get secrets). No Secret informer: caching every Secret of
 * the watched namespaces would cost memory and widen what the operator holds; a platform waiting for a Secret
 * is looked at again after {@link FlowPlatformReconciler#RECHECK_INVALID}. Values are never read into anything.
 */
public final class ClusterSecrets implements SecretLookup {

  private static final Logger LOG = LoggerFactory.getLogger(ClusterSecrets.class);
  private final KubernetesClient client;

  public ClusterSecrets(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Result find(String namespace, String name) {
    try {
      Secret secret = client.secrets().inNamespace(namespace).withName(name).get();
      if (secret == null) {
        return Result.missing();
      }
      Set<String> keys = new HashSet<>();
      if (secret.getData() != null) {
        keys.addAll(secret.getData().keySet());
      }
      if (secret.getStringData() != null) {
        keys.addAll(secret.getStringData().keySet());
      }
      return Result.found(keys);
    } catch (KubernetesClientException e) {
      if (e.getCode() == 403) {
        LOG.warn("Not allowed to get Secret {}/{}: grant the operator 'get' on secrets (docs/operator.md, RBAC used); "
            + "skipping the check", namespace, name);
        return Result.unknown();
      }
      throw e;
    }
  }
}
