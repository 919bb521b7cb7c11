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
    List<HasMetadata> manifests = new ArrayList<>();
    manifests.add(RuntimeConfig.configMap(platform, groups));
    manifests.add(AppTier.service(platform));
    manifests.add(AppTier.deployment(platform, groups));
    manifests.add(AppTier.disruptionBudget(platform));
    manifests.add(WorkerTier.deployment(platform));
    manifests.add(WorkerTier.disruptionBudget(platform));
    return manifests;
  }

  public static List<HasMetadata> workerGroup(WorkerGroup group, FlowPlatform platform) {
    return List.of(WorkerGroupTier.deployment(group, platform), WorkerGroupTier.disruptionBudget(group));
  }
}
