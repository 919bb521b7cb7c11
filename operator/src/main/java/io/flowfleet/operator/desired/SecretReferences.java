package io.flowfleet.operator.desired;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.flowfleet.operator.api.FlowPlatformSpec;
import io.flowfleet.operator.api.RoleSpec;
import io.flowfleet.operator.api.StoreRef;
import io.flowfleet.operator.api.WorkerGroupSpec;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/** The Secrets a resource's pods read: the stores', the API key's, and any secretKeyRef in extra env. Null-safe. */
public final class SecretReferences {

  private SecretReferences() {}

  public static Set<String> platform(FlowPlatformSpec spec) {
    Set<String> names = new TreeSet<>();
    if (spec == null) {
      return names;
    }
    Stream.of(spec.getPostgres(), spec.getRedis(), spec.getS3()).filter(Objects::nonNull)
        .map(StoreRef::getSecretName).filter(Objects::nonNull).forEach(names::add);
    if (spec.getApiKeySecretRef() != null && spec.getApiKeySecretRef().getName() != null) {
      names.add(spec.getApiKeySecretRef().getName());
    }
    names.addAll(inEnv(spec.getApp()));
    names.addAll(inEnv(spec.getWorker()));
    return names;
  }

  /** A group's workers read the platform's store Secrets and both worker extra envs (the API key is apps-only). */
  public static Set<String> group(WorkerGroupSpec group, FlowPlatformSpec platform) {
    Set<String> names = new TreeSet<>();
    if (platform != null) {
      Stream.of(platform.getPostgres(), platform.getRedis(), platform.getS3()).filter(Objects::nonNull)
          .map(StoreRef::getSecretName).filter(Objects::nonNull).forEach(names::add);
      names.addAll(inEnv(platform.getWorker()));
    }
    if (group != null) {
      names.addAll(inEnv(group.getWorker()));
    }
    return names;
  }

  private static Set<String> inEnv(RoleSpec role) {
    List<EnvVar> env = role == null || role.getEnv() == null ? List.of() : role.getEnv().stream().filter(Objects::nonNull).toList();
    return SecretDigests.referencedBy(env);
  }

}
