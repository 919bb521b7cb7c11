package io.flowfleet.chaos.fault;

import io.flowfleet.chaos.ChaosFault;
import io.flowfleet.chaos.ChaosRecords.Fault;
import io.flowfleet.chaos.ChaosTarget;
import io.flowfleet.chaos.FaultKind;
import io.flowfleet.local.RuntimeProcess;

import java.time.Instant;

/** SIGKILL of a worker in the middle of a run (OOM killer, node loss); the platform restarts it. */
public final class WorkerKill implements ChaosFault {

    @Override
    public FaultKind kind() {
        return FaultKind.WORKER_KILL;
    }

    @Override
    public Fault inject(ChaosTarget target) throws Exception {
        ChaosTarget.Victim chosen = target.workerToKill();
        RuntimeProcess victim = chosen.worker();
        Instant start = Instant.now();
        victim.handle().destroyForcibly();
        target.log("SIGKILL " + victim.name() + " (pid " + victim.pid() + ") holding " + chosen.syncRuns()
                + " sync caller(s)' runs of the long flow");
        target.note("worker-kill struck " + victim.name() + " while it held " + chosen.syncRuns()
                + " sync caller(s)' runs of the long flow");
        target.awaitReplacement(victim);
        return new Fault(kind(), victim.name(), start, Instant.now());
    }
}
