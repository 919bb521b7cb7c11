package io.flowfleet.operator.desired;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.flowfleet.contract.RuntimeSettings;
import io.flowfleet.operator.api.FlowPlatform;
import io.flowfleet.operator.api.FlowPlatformSpec;
import io.flowfleet.operator.api.RoleSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The platform's workers on the default queue: Deployment and PodDisruptionBudget. */
public final class WorkerTier {

  /** Rollouts add up to 10% extra pods (at least one) instead of removing any. */
  static final IntOrString MAX_SURGE = new IntOrString("10%");

  private WorkerTier() {}

  public static Deployment deployment(FlowPlatform platform) {
    return deployment(platform, SecretDigests.none());
  }

  /** {@code secrets}: digests of the Secrets the pods read, for the rotation annotation. */
  public static Deployment deployment(FlowPlatform platform, SecretDigests secrets) {
    FlowPlatformSpec spec = platform.getSpec();
    RoleSpec worker = Objects.requireNonNullElseGet(spec.getWorker(), RoleSpec::new);
    Sizing sizing = Sizing.of(platform);
    Images image = Images.resolve(worker.getImage(), null, Images.WORKER_REPOSITORY);
    Map<String, String> selector = FleetLabels.selector(platform, FleetLabels.COMPONENT_WORKER);
    Graces graces = Graces.of(RuntimeLimits.of(spec));
    List<EnvVar> env = new ArrayList<>(StoreEnv.stores(spec));
    env.add(ExtraEnv.plain(RuntimeSettings.SHUTDOWN_GRACE_SECONDS, String.valueOf(graces.workerShutdownGraceSeconds())));
    var role = new PodTemplates.Role(selector, FleetLabels.full(selector, image.tag()), image,
        Objects.requireNonNullElseGet(worker.getResources(), () -> RoleResources.worker(sizing.workerConcurrency())),
        FleetNames.runtimeConfig(platform.getMetadata().getName()),
        ExtraEnv.merge(env, worker.getEnv()),
        RuntimeConfig.hash(RuntimeConfig.data(platform, List.of()), false),
        graces.workerTerminationGraceSeconds(), secrets);
    return Deployments.build(platform, FleetNames.worker(platform.getMetadata().getName()), role, sizing.workers(),
        MAX_SURGE);
  }

  public static PodDisruptionBudget disruptionBudget(FlowPlatform platform) {
    return Deployments.disruptionBudget(platform, FleetNames.worker(platform.getMetadata().getName()),
        FleetLabels.selector(platform, FleetLabels.COMPONENT_WORKER));
  }
}
