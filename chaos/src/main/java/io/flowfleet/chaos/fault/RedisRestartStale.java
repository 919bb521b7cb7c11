package io.flowfleet.chaos.fault;

import io.flowfleet.chaos.ChaosFault;
import io.flowfleet.chaos.ChaosRecords.Fault;
import io.flowfleet.chaos.ChaosTarget;
import io.flowfleet.chaos.FaultKind;
import io.flowfleet.local.LocalRedis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;

/**
 * Redis comes back from an older snapshot (RDB persistence, a managed failover to a lagging
 * replica): SAVE, let runs finish meanwhile, crash Redis, restart it from that snapshot. Jobs of
 * runs that finished since are back in the stream as if never delivered.
 */
public final class RedisRestartStale implements ChaosFault {

    private final Duration staleness;

    /** @param staleness how long runs go on between the snapshot and the crash */
    public RedisRestartStale(Duration staleness) {
        this.staleness = staleness;
    }

    @Override
    public FaultKind kind() {
        return FaultKind.REDIS_RESTART_STALE;
    }

    @Override
    public Fault inject(ChaosTarget target) throws Exception {
        LocalRedis redis = target.platform().services().redis();
        int backlog = target.backlog(); // jobs in the stream when the snapshot is taken
        redis.call("SAVE");
        Path stale = redis.dataDirectory().resolve("stale.rdb");
        Files.copy(redis.snapshotFile(), stale, StandardCopyOption.REPLACE_EXISTING);
        target.log("SAVE after a burst of " + backlog + " async runs (snapshot kept); runs go on for " + staleness.toSeconds() + " s");
        Thread.sleep(staleness);
        Instant start = Instant.now();
        redis.crash();
        Files.copy(stale, redis.snapshotFile(), StandardCopyOption.REPLACE_EXISTING);
        redis.restart();
        target.log("Redis SIGKILLed and restarted from the " + staleness.toSeconds() + " s old snapshot");
        return new Fault(kind(), "redis", start, Instant.now());
    }
}
