package io.flowfleet.operator.desired;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;

/**
 * Default pod resources after the seed: worker 0.5 vCPU / 1 GiB per flow slot, app 1 vCPU / 1 GiB. Memory limit =
 * request (a JVM over its request would be OOM-killed at random); no CPU limit, since CFS throttling would add
 * latency to every sync webhook while requests already guarantee the share.
 */
public final class RoleResources {

  static final int WORKER_MILLICPU_PER_SLOT = 500;
  static final int WORKER_GIB_PER_SLOT = 1;

  private RoleResources() {}

  /** A worker pod running {@code concurrency} flows at once: the migration table's ~2.5 vCPU / 5 GiB at 5. */
  public static ResourceRequirements worker(int concurrency) {
    int millis = WORKER_MILLICPU_PER_SLOT * concurrency;
    String cpu = millis % 1000 == 0 ? String.valueOf(millis / 1000) : millis + "m";
    return of(cpu, (WORKER_GIB_PER_SLOT * concurrency) + "Gi");
  }

  public static ResourceRequirements app() {
    return of("1", "1Gi");
  }

  private static ResourceRequirements of(String cpu, String memory) {
    return new ResourceRequirementsBuilder()
        .addToRequests("cpu", new Quantity(cpu))
        .addToRequests("memory", new Quantity(memory))
        .addToLimits("memory", new Quantity(memory))
        .build();
  }
}
