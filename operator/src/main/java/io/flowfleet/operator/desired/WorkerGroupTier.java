package io.flowfleet.operator.desired;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
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
 * (AP_QUEUE_NAME = the group's name), with the group's execution settings. Owned by the WorkerGroup.
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
    env.add(plain("AP_QUEUE_NAME", group.getMetadata().getName()));
    env.add(plain("AP_EXECUTION_MODE", Objects.requireNonNullElse(execution.getMode(), ExecutionMode.SANDBOX_PROCESS.name())));
    env.add(plain("AP_REUSE_SANDBOX", String.valueOf(Objects.requireNonNullElse(execution.getReuseSandbox(), true))));
    env.add(plain("AP_WORKER_CONCURRENCY", String.valueOf(sizing.workerConcurrency())));
    List<EnvVar> withPlatformExtras = ExtraEnv.merge(env, platformWorker.getEnv());

    ResourceRequirements resources = groupWorker.getResources() != null ? groupWorker.getResources()
        : platformWorker.getResources() != null ? platformWorker.getResources()
        : RoleResources.worker(sizing.workerConcurrency());
    var role = new PodTemplates.Role(selector, FleetLabels.full(selector, image.tag()), image, resources,
        FleetNames.runtimeConfig(platformName), ExtraEnv.merge(withPlatformExtras, groupWorker.getEnv()),
        RuntimeConfig.hash(RuntimeConfig.data(platform, List.of()), false),
        WorkerTier.flowTimeout(platform.getSpec()) + 30L, secrets);
    return Deployments.build(group, name(group), role, sizing.workers(), WorkerTier.MAX_SURGE);
  }

  public static PodDisruptionBudget disruptionBudget(WorkerGroup group) {
    return Deployments.disruptionBudget(group, name(group),
        FleetLabels.groupSelector(group, group.getSpec().getPlatformRef().getName()));
  }

  public static String name(WorkerGroup group) {
    return FleetNames.workerGroup(group.getSpec().getPlatformRef().getName(), group.getMetadata().getName());
  }

  private static EnvVar plain(String name, String value) {
    return new EnvVarBuilder().withName(name).withValue(value).build();
  }
}
