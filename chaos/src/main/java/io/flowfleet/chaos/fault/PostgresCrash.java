package io.flowfleet.chaos.fault;

import io.flowfleet.chaos.ChaosFault;
import io.flowfleet.chaos.ChaosRecords.Fault;
import io.flowfleet.chaos.ChaosTarget;
import io.flowfleet.chaos.FaultKind;
import io.flowfleet.local.LocalPostgres;

import java.time.Duration;
import java.time.Instant;

/**
 * SIGKILL of the Postgres postmaster and its backends, an outage, then a restart with crash
 * recovery on the same port (committed data survives; claims committed without a WAL flush may not).
 */
public final class PostgresCrash implements ChaosFault {

    private final Duration outage;

    public PostgresCrash(Duration outage) {
        this.outage = outage;
    }

    @Override
    public FaultKind kind() {
        return FaultKind.POSTGRES_CRASH;
    }

    @Override
    public Fault inject(ChaosTarget target) throws Exception {
        LocalPostgres postgres = target.platform().services().postgres();
        int backlog = target.backlog(); // jobs waiting in Redis while the database is down
        Instant start = Instant.now();
        postgres.crash();
        target.log("Postgres SIGKILLed after a burst of " + backlog + " async runs; down for " + outage.toSeconds() + " s");
        Thread.sleep(outage);
        postgres.restart();
        target.log("Postgres restarted (pid " + postgres.pid().orElse(-1) + ")");
        return new Fault(kind(), "postgres", start, Instant.now());
    }
}
