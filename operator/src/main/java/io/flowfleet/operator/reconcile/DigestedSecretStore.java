package io.flowfleet.operator.reconcile;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.informers.cache.BasicItemStore;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.flowfleet.operator.desired.SecretDigests;

/**
 * The Secret informer's cache: each Secret is stored with its values replaced by their SHA-256, so the operator
 * holds key names and digests (enough to validate references and roll pods on rotation), never credentials.
 */
final class DigestedSecretStore extends BasicItemStore<Secret> {

  DigestedSecretStore() {
    super(Cache::metaNamespaceKeyFunc);
  }

  @Override
  public Secret put(String key, Secret secret) {
    return super.put(key, SecretDigests.digested(secret));
  }
}
