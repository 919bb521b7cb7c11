package io.flowfleet.chaos.fault;

import io.flowfleet.chaos.ChaosFault;
import io.flowfleet.chaos.ChaosRecords.Fault;
import io.flowfleet.chaos.ChaosTarget;
import io.flowfleet.chaos.FaultKind;
import io.flowfleet.local.RuntimeProcess;

import java.time.Instant;

/**
 * SIGTERM of a worker while it runs a long flow (a rollout, a scale-down): it should hand its runs
 * back or finish them within its grace; the platform then starts a replacement.
 */
public final class WorkerTerm implements ChaosFault {

    @Override
    public FaultKind kind() {
        return FaultKind.WORKER_TERM;
    }

    @Override
    public Fault inject(ChaosTarget target) throws Exception {
        RuntimeProcess victim = target.busyWorker();
        Instant start = Instant.now();
        victim.handle().destroy();
        target.log("SIGTERM " + victim.name() + " (pid " + victim.pid() + ")");
        target.awaitReplacement(victim);
        return new Fault(kind(), victim.name(), start, Instant.now());
    }
}
