package io.flowfleet.operator.desired;

import io.flowfleet.contract.RuntimeSettings;

/**
 * Every shutdown time of a platform's pods, derived from its limits in one place: the runtime's own grace
 * (AP_SHUTDOWN_GRACE_SECONDS, set per Deployment) and the pod's terminationGracePeriodSeconds, which must outlast it
 * by what the process needs after its grace. docs/operator.md ("Stopping pods") promises these times.
 *
 * <ul>
 *   <li>App: a held sync caller gets its whole webhook budget plus a margin to receive the answer
 *       ({@link RuntimeSettings#APP_SHUTDOWN_MARGIN_SECONDS}); the pod gets that plus the app's stop overhead.</li>
 *   <li>Worker: a running run may finish its whole flow limit before it is handed back; the pod gets that plus the
 *       worker's stop overhead (finish a queue read, hand back, unwind slots).</li>
 * </ul>
 */
public record Graces(int appShutdownGraceSeconds, int appTerminationGraceSeconds, int workerShutdownGraceSeconds,
    int workerTerminationGraceSeconds) {

  public static Graces of(RuntimeLimits limits) {
    int app = limits.webhookTimeoutSeconds() + RuntimeSettings.APP_SHUTDOWN_MARGIN_SECONDS;
    int worker = limits.flowTimeoutSeconds();
    return new Graces(app, app + RuntimeSettings.APP_STOP_OVERHEAD_SECONDS,
        worker, worker + RuntimeSettings.WORKER_STOP_OVERHEAD_SECONDS);
  }
}
