package io.flowfleet.operator.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.flowfleet.operator.desired.SecretDigests;
import io.flowfleet.operator.validation.SecretLookup;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The Secrets a resource references, from the operator's Secret informer (its cache holds digests, not values:
 * {@link DigestedSecretStore}). Used by validation (exists, keys) and by the pod templates (digests).
 */
final class CachedSecrets implements SecretLookup, SecretDigests {

  private final Map<String, Secret> byName;

  private CachedSecrets(Map<String, Secret> byName) {
    this.byName = byName;
  }

  static CachedSecrets of(Context<?> context) {
    return new CachedSecrets(context.getSecondaryResourcesAsStream(Secret.class)
        .collect(Collectors.toMap(s -> s.getMetadata().getName(), Function.identity(), (a, b) -> a)));
  }

  @Override
  public Result find(String namespace, String name) {
    Secret secret = byName.get(name);
    return secret == null ? Result.missing()
        : Result.found(Objects.requireNonNullElse(secret.getData(), Map.<String, String>of()).keySet());
  }

  @Override
  public String digestOf(String secretName) {
    Secret secret = byName.get(secretName);
    return secret == null ? null : SecretDigests.digest(secret);
  }
}
