package io.flowfleet.operator.desired;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.flowfleet.operator.api.FlowPlatform;
import io.flowfleet.operator.api.WorkerGroup;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/** Every manifest of one platform and of one worker group, in apply order (for render and tests). */
public final class PlatformManifests {

  private PlatformManifests() {}

  /** {@code groups}: the valid WorkerGroups of this platform (their routes go into the runtime ConfigMap). */
  public static List<HasMetadata> platform(FlowPlatform platform, Collection<WorkerGroup> groups) {
    return platform(platform, groups, SecretDigests.none());
  }

  /** {@code secrets}: digests of the referenced Secrets (render: those among its input files). */
  public static List<HasMetadata> platform(FlowPlatform platform, Collection<WorkerGroup> groups, SecretDigests secrets) {
    List<HasMetadata> manifests = new ArrayList<>();
    manifests.add(RuntimeConfig.configMap(platform, groups));
    manifests.add(AppTier.service(platform));
    manifests.add(AppTier.deployment(platform, groups, secrets));
    manifests.add(AppTier.disruptionBudget(platform));
    manifests.add(WorkerTier.deployment(platform, secrets));
    manifests.add(WorkerTier.disruptionBudget(platform));
    return manifests;
  }

  public static List<HasMetadata> workerGroup(WorkerGroup group, FlowPlatform platform) {
    return workerGroup(group, platform, SecretDigests.none());
  }

  public static List<HasMetadata> workerGroup(WorkerGroup group, FlowPlatform platform, SecretDigests secrets) {
    return List.of(WorkerGroupTier.deployment(group, platform, secrets), WorkerGroupTier.disruptionBudget(group));
  }
}
