package io.flowfleet.chaos.fault;

import io.flowfleet.chaos.ChaosFault;
import io.flowfleet.chaos.ChaosRecords.Fault;
import io.flowfleet.chaos.ChaosTarget;
import io.flowfleet.chaos.FaultKind;
import io.flowfleet.local.RuntimeProcess;

import java.time.Instant;

/** SIGKILL of the app while sync callers wait on it; the platform restarts it on the same port. */
public final class AppKill implements ChaosFault {

    @Override
    public FaultKind kind() {
        return FaultKind.APP_KILL;
    }

    @Override
    public Fault inject(ChaosTarget target) throws Exception {
        target.awaitSyncCallersWaiting();
        RuntimeProcess app = target.platform().app();
        Instant start = Instant.now();
        app.handle().destroyForcibly();
        target.log("SIGKILL app (pid " + app.pid() + ")");
        target.awaitReplacement(app);
        return new Fault(kind(), app.name(), start, Instant.now());
    }
}
