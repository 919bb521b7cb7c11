package io.flowfleet.worker;

import io.flowfleet.core.queue.Delivery;
import io.flowfleet.core.queue.RunJob;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The loop's and the executor's own decisions, without a server. Their behaviour against real
 * Postgres, Redis and S3 (stale jobs, outages, a lost lease, the hand-back at stop) is in
 * {@link WorkerDeliveryTest}; the lifecycle itself in runtime-core's HeldRunTest and HeldRunsTest.
 */
class WorkerLoopTest {
    private static final UUID RUN = UUID.randomUUID();

    @Test
    void onlyAFreshFirstDeliveryOverlapsItsClaim() {
        RunJob job = new RunJob(RUN, "f", "v", null, "{}");
        long now = System.currentTimeMillis();

        assertThat(RunExecutor.overlapsClaim(new Delivery("q", now + "-0", job, false))).isTrue();
        assertThat(RunExecutor.overlapsClaim(new Delivery("q", (now - 60_000) + "-0", job, false)))
                .as("a job that waited (e.g. from an old snapshot) is claimed first").isFalse();
        assertThat(RunExecutor.overlapsClaim(new Delivery("q", now + "-0", job, true))).as("reclaimed").isFalse();
        assertThat(RunExecutor.overlapsClaim(new Delivery("q", now + "-0", job.asRedelivery(), false))).as("swept").isFalse();
    }

    @Test
    void reclaimChecksComeEveryTenthOfTheLeaseWithinBounds() {
        assertThat(WorkerLoop.reclaimInterval(Duration.ofSeconds(10))).isEqualTo(Duration.ofSeconds(1));
        assertThat(WorkerLoop.reclaimInterval(Duration.ofSeconds(1))).isEqualTo(Duration.ofMillis(250));
        assertThat(WorkerLoop.reclaimInterval(Duration.ofMinutes(5))).isEqualTo(Duration.ofSeconds(2));
        assertThat(WorkerLoop.reclaimInterval(Duration.ofSeconds(2)))
                .as("under a lease, so a dead worker's run is back within lease + interval").isLessThan(Duration.ofSeconds(2));
    }
}
