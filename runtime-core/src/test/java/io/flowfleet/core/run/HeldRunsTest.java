package io.flowfleet.core.run;

import io.flowfleet.core.flow.ClaimRefused;
import io.flowfleet.core.flow.RunStatus;
import io.flowfleet.core.queue.Delivery;
import io.flowfleet.core.queue.RunJob;
import io.flowfleet.core.store.Claim;
import io.flowfleet.core.store.ClaimResult;
import org.junit.jupiter.api.Test;

import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The registry of a worker's runs and the heartbeat's answer applied to them, without any server. */
class HeldRunsTest {

    private static HeldRun delivered(UUID runId) {
        return new HeldRun(new Delivery("default", System.currentTimeMillis() + "-0", new RunJob(runId, "f", "v", null, "{}"), false));
    }

    private static HeldRun claimed(UUID runId) {
        HeldRun run = delivered(runId);
        assertThat(run.claimed(new Claim(runId, 1, "w", null), System.nanoTime() + 60_000_000_000L)).isTrue();
        return run;
    }

    @Test
    void oneDeliveryOfARunAtATime() {
        HeldRuns held = new HeldRuns();
        UUID runId = UUID.randomUUID();
        HeldRun first = delivered(runId);
        HeldRun second = delivered(runId);

        assertThat(held.add(first)).isTrue();
        assertThat(held.add(second)).as("a second job of a run this worker works on").isFalse();
        held.remove(second); // the refused one never replaces, nor removes, the held one
        assertThat(held.snapshot()).containsExactly(first);
        held.remove(first);
        assertThat(held.size()).isZero();
        assertThat(held.add(second)).as("once the first is settled").isTrue();
    }

    @Test
    void keepAliveCoversClaimingAndHeldRunsLeaseExtensionOnlyHeldOnes() {
        HeldRuns held = new HeldRuns();
        HeldRun claiming = delivered(UUID.randomUUID());
        HeldRun holding = claimed(UUID.randomUUID());
        HeldRun dropped = delivered(UUID.randomUUID());
        dropped.refused(new ClaimResult.Refused(RunStatus.SUCCEEDED));
        HeldRun finishing = claimed(UUID.randomUUID());
        assertThat(finishing.finishing()).isTrue();
        for (HeldRun r : new HeldRun[]{claiming, holding, dropped, finishing}) held.add(r);

        assertThat(held.working()).containsExactlyInAnyOrder(claiming, holding, finishing);
        assertThat(held.holding()).containsExactlyInAnyOrder(holding, finishing);
    }

    @Test
    void theHeartbeatsAnswerExtendsKeptRunsAndLosesTheOthers() throws Exception {
        HeldRuns held = new HeldRuns();
        HeldRun kept = claimed(UUID.randomUUID());
        HeldRun taken = claimed(UUID.randomUUID());
        HeldRun ended = claimed(UUID.randomUUID());
        held.add(kept);
        held.add(taken);
        held.add(ended);
        var asked = held.holding();
        // the run ends while the heartbeat's query runs: Postgres no longer lists it, and that is no loss
        assertThat(ended.finishing()).isTrue();
        ended.done();

        int lost = held.leasesAnswered(asked, Set.of(kept.claim().runId()), System.nanoTime() + 60_000_000_000L);

        assertThat(lost).isEqualTo(1);
        assertThat(taken.state()).isEqualTo(HeldRun.State.LOST);
        assertThatThrownBy(() -> taken.gate().await()).isInstanceOf(ClaimRefused.class);
        assertThat(kept.state()).isEqualTo(HeldRun.State.HELD);
        kept.gate().await();
        assertThat(ended.state()).isEqualTo(HeldRun.State.DONE);
    }
}
