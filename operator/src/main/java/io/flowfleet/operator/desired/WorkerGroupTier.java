package io.flowfleet.operator.desired;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.flowfleet.contract.RuntimeSettings;
import io.flowfleet.operator.api.ExecutionMode;
import io.flowfleet.operator.api.FlowPlatform;
import io.flowfleet.operator.api.RoleSpec;
import io.flowfleet.operator.api.WorkerGroup;
import io.flowfleet.operator.api.WorkerGroupExecutionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A WorkerGroup's workers: the platform's stores, limits and worker image, on the group's own queue
 * (the queue name is the group's name), with the group's execution settings. Owned by the WorkerGroup.
 */
public final class WorkerGroupTier {

  private WorkerGroupTier() {}

  public static Deployment deployment(WorkerGroup group, FlowPlatform platform) {
    return deployment(group, platform, SecretDigests.none());
  }

  /** {@code secrets}: digests of the Secrets the pods read, for the rotation annotation. */
  public static Deployment deployment(WorkerGroup group, FlowPlatform platform, SecretDigests secrets) {
    RoleSpec platformWorker = Objects.requireNonNullElseGet(platform.getSpec().getWorker(), RoleSpec::new);
    RoleSpec groupWorker = Objects.requireNonNullElseGet(group.getSpec().getWorker(), RoleSpec::new);
    WorkerGroupExecutionSpec execution =
        Objects.requireNonNullElseGet(group.getSpec().getExecution(), WorkerGroupExecutionSpec::new);
    Sizing sizing = Sizing.of(group);
    Images image = Images.resolve(groupWorker.getImage(), platformWorker.getImage(), Images.WORKER_REPOSITORY);
    String platformName = platform.getMetadata().getName();
    Map<String, String> selector = FleetLabels.groupSelector(group, platformName);

    List<EnvVar> env = new ArrayList<>(StoreEnv.stores(platform.getSpec()));
    // The group's own settings override the platform's runtime ConfigMap (explicit env wins over envFrom).
    Graces graces = Graces.of(RuntimeLimits.of(platform.getSpec()));
    env.add(ExtraEnv.plain(RuntimeSettings.QUEUE_NAME, group.getMetadata().getName()));
    // Validation refuses any other mode for a group; whatever got this far, a group's workers run in their own process.
    env.add(ExtraEnv.plain(RuntimeSettings.EXECUTION_MODE, ExecutionMode.SANDBOX_PROCESS.name()));
    env.add(ExtraEnv.plain(RuntimeSettings.REUSE_SANDBOX,
        String.valueOf(Objects.requireNonNullElse(execution.getReuseSandbox(), true))));
    env.add(ExtraEnv.plain(RuntimeSettings.WORKER_CONCURRENCY, String.valueOf(sizing.workerConcurrency())));
    env.add(ExtraEnv.plain(RuntimeSettings.SHUTDOWN_GRACE_SECONDS, String.valueOf(graces.workerShutdownGraceSeconds())));
    List<EnvVar> withPlatformExtras = ExtraEnv.merge(env, platformWorker.getEnv());

    ResourceRequirements resources = groupWorker.getResources() != null ? groupWorker.getResources()
        : platformWorker.getResources() != null ? platformWorker.getResources()
        : RoleResources.worker(sizing.workerConcurrency());
    var role = new PodTemplates.Role(selector, FleetLabels.full(selector, image.tag()), image, resources,
        FleetNames.runtimeConfig(platformName), ExtraEnv.merge(withPlatformExtras, groupWorker.getEnv()),
        RuntimeConfig.hash(RuntimeConfig.data(platform, List.of()), false),
        graces.workerTerminationGraceSeconds(), secrets);
    return Deployments.build(group, name(group), role, sizing.workers(), WorkerTier.MAX_SURGE);
  }

  public static PodDisruptionBudget disruptionBudget(WorkerGroup group) {
    return Deployments.disruptionBudget(group, name(group),
        FleetLabels.groupSelector(group, group.getSpec().getPlatformRef().getName()));
  }

  public static String name(WorkerGroup group) {
    return FleetNames.workerGroup(group.getSpec().getPlatformRef().getName(), group.getMetadata().getName());
  }

}
