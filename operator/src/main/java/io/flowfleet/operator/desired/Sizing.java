package io.flowfleet.operator.desired;

import io.flowfleet.operator.api.ExecutionSpec;
import io.flowfleet.operator.api.FlowPlatform;
import io.flowfleet.operator.api.WorkerGroup;
import io.flowfleet.operator.api.WorkerGroupExecutionSpec;

/**
 * How many pods a peak needs, after the seed's production setup: one flow per worker, one app per ten
 * concurrent flows. With workerConcurrency above 1 (the pre-migration shape) the slot count stays the peak:
 * fewer, bigger workers (see {@link RoleResources#worker(int)}), and the app tier keeps its size since it
 * serves the same flows.
 *
 * @param peak concurrent flows the fleet must run at once
 * @param workerConcurrency flows per worker pod
 * @param workers worker pods: ceil(peak / workerConcurrency)
 * @param apps app pods: ceil(peak / 10), i.e. ceil(workers / 10) at concurrency 1
 * @param slots workers x workerConcurrency (at least the peak)
 */
public record Sizing(int peak, int workerConcurrency, int workers, int apps, int slots) {

  static final int FLOWS_PER_APP = 10;

  public static Sizing of(int peak, int workerConcurrency) {
    if (peak < 1 || workerConcurrency < 1) {
      throw new IllegalArgumentException("peak and workerConcurrency must be at least 1, got " + peak + " and "
          + workerConcurrency);
    }
    int workers = ceilDiv(peak, workerConcurrency);
    return new Sizing(peak, workerConcurrency, workers, ceilDiv(peak, FLOWS_PER_APP), workers * workerConcurrency);
  }

  public static Sizing of(FlowPlatform platform) {
    ExecutionSpec execution = platform.getSpec().getExecution();
    Integer concurrency = execution == null ? null : execution.getWorkerConcurrency();
    return of(platform.getSpec().getPeakConcurrentFlows(), concurrency == null ? 1 : concurrency);
  }

  public static Sizing of(WorkerGroup group) {
    WorkerGroupExecutionSpec execution = group.getSpec().getExecution();
    Integer concurrency = execution == null ? null : execution.getWorkerConcurrency();
    return of(group.getSpec().getPeakConcurrentFlows(), concurrency == null ? 1 : concurrency);
  }

  /** Status note for the pre-migration shape; null at concurrency 1. */
  public String migrationNote() {
    if (workerConcurrency == 1) {
      return null;
    }
    return "workerConcurrency " + workerConcurrency + " (pre-migration shape): " + workers + " workers x "
        + workerConcurrency + " = " + slots + " slots, each worker sized " + workerConcurrency
        + "x the default. The recommended shape keeps the slots with " + peak
        + " workers at concurrency 1 (0.5 vCPU / 1Gi each): set spec.execution.workerConcurrency to 1.";
  }

  private static int ceilDiv(int a, int b) {
    return Math.ceilDiv(a, b);
  }
}
