package io.flowfleet.chaos.fault;

import io.flowfleet.chaos.ChaosFault;
import io.flowfleet.chaos.ChaosRecords.Fault;
import io.flowfleet.chaos.ChaosTarget;
import io.flowfleet.chaos.FaultKind;
import io.flowfleet.local.LocalRedis;

import java.nio.file.Files;
import java.time.Instant;

/** Redis crashes and comes back empty (no persistence): every queued job and consumer group is gone. */
public final class RedisRestartEmpty implements ChaosFault {

    @Override
    public FaultKind kind() {
        return FaultKind.REDIS_RESTART_EMPTY;
    }

    @Override
    public Fault inject(ChaosTarget target) throws Exception {
        LocalRedis redis = target.platform().services().redis();
        Instant start = Instant.now();
        redis.crash();
        Files.deleteIfExists(redis.snapshotFile());
        redis.restart();
        target.log("Redis SIGKILLed and restarted empty");
        return new Fault(kind(), "redis", start, Instant.now());
    }
}
