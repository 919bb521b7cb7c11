package io.flowfleet.chaos.fault;

import io.flowfleet.chaos.ChaosFault;
import io.flowfleet.chaos.ChaosRecords.Fault;
import io.flowfleet.chaos.ChaosTarget;
import io.flowfleet.chaos.FaultKind;
import io.flowfleet.local.RuntimeProcess;

import java.time.Duration;
import java.time.Instant;

/**
 * SIGSTOP of a worker in the middle of a run for longer than the run lease, then SIGCONT (a long GC
 * pause, a frozen VM): its runs are taken over meanwhile, and the worker wakes up still holding them.
 */
public final class WorkerPause implements ChaosFault {

    /** How far past the lease the pause lasts. */
    static final Duration PAST_LEASE = Duration.ofSeconds(5);

    @Override
    public FaultKind kind() {
        return FaultKind.WORKER_PAUSE;
    }

    @Override
    public Fault inject(ChaosTarget target) throws Exception {
        RuntimeProcess victim = target.busyWorker();
        Instant start = Instant.now();
        ChaosTarget.signal(victim.pid(), "STOP");
        Duration pause = target.lease().plus(PAST_LEASE);
        target.log("SIGSTOP " + victim.name() + " (pid " + victim.pid() + ") for " + pause.toSeconds() + " s");
        try {
            Thread.sleep(pause);
        } finally {
            ChaosTarget.signal(victim.pid(), "CONT");
        }
        target.log("SIGCONT " + victim.name());
        return new Fault(kind(), victim.name(), start, Instant.now());
    }
}
