package io.flowfleet.core.run;

import io.flowfleet.core.flow.ClaimRefused;
import io.flowfleet.core.queue.Delivery;
import io.flowfleet.core.queue.RunJob;
import io.flowfleet.core.store.Claim;
import io.flowfleet.core.store.ClaimResult;
import io.flowfleet.core.flow.RunStatus;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each transition of a delivery's lifecycle, and the gate that follows it, without any server. */
class HeldRunTest {
    private static final UUID RUN = UUID.randomUUID();

    private static HeldRun delivered() {
        return new HeldRun(new Delivery("default", System.currentTimeMillis() + "-0", new RunJob(RUN, "f", "v", null, "{}"), false));
    }

    private static Claim claim() {
        return new Claim(RUN, 1, "w", null);
    }

    private static long inAMinute() {
        return System.nanoTime() + 60_000_000_000L;
    }

    @Test
    void aClaimedRunOpensItsGateAndEndsDone() throws Exception {
        HeldRun run = delivered();
        assertThat(run.gate().isGranted()).isFalse();

        assertThat(run.claimed(claim(), inAMinute())).isTrue();
        run.gate().await();
        assertThat(run.finishing()).isTrue();
        run.done();

        assertThat(run.state()).isEqualTo(HeldRun.State.DONE);
    }

    @Test
    void aRefusedClaimShutsTheGateAndKeepsWhy() {
        HeldRun run = delivered();

        run.refused(new ClaimResult.Refused(RunStatus.SUCCEEDED));

        assertThat(run.state()).isEqualTo(HeldRun.State.DROPPED);
        assertThat(run.refusal().runEnded()).isTrue();
        assertThatThrownBy(() -> run.gate().await()).isInstanceOf(ClaimRefused.class);
        assertThat(new ClaimResult.Refused(RunStatus.RUNNING).runEnded()).as("held elsewhere").isFalse();
        assertThat(new ClaimResult.Refused(null).runEnded()).as("no such run").isTrue();
    }

    @Test
    void aFailedClaimShutsTheGateWithoutARefusal() {
        HeldRun run = delivered();

        run.claimFailed(new IllegalStateException("Postgres unreachable"));

        assertThat(run.refusal()).isNull();
        assertThat(run.claimError()).hasMessage("Postgres unreachable");
        assertThat(run.gate().isRefused()).isTrue();
    }

    @Test
    void aClaimThatAnswersAfterTheSlotGaveUpDoesNotHoldTheRun() {
        HeldRun run = delivered();

        run.abandonIfClaiming();

        assertThat(run.claimed(claim(), inAMinute())).isFalse();
        assertThat(run.gate().isRefused()).isTrue();
    }

    @Test
    void theHeartbeatRacingTheEndOfARunIsNoLoss() {
        HeldRun finishing = delivered();
        finishing.claimed(claim(), inAMinute());
        finishing.finishing();
        assertThat(finishing.lose()).as("finishing: its result is being stored").isFalse();
        finishing.done();
        assertThat(finishing.lose()).as("done").isFalse();

        HeldRun handedBack = delivered();
        handedBack.claimed(claim(), inAMinute());
        assertThat(handedBack.handBack()).isTrue();
        assertThat(handedBack.lose()).as("handed back").isFalse();
    }

    @Test
    void aLostRunStopsActingAndDropsItsResult() {
        HeldRun run = delivered();
        run.claimed(claim(), inAMinute());

        assertThat(run.lose()).isTrue();

        assertThat(run.gate().isGranted()).isFalse();
        assertThatThrownBy(() -> run.gate().await()).isInstanceOf(ClaimRefused.class);
        assertThat(run.finishing()).as("a lost run stores nothing").isFalse();
        assertThat(run.handBack()).as("nor is it handed back").isFalse();
    }

    @Test
    void aHandedBackRunStopsActingAndDropsItsResult() {
        HeldRun run = delivered();
        run.claimed(claim(), inAMinute());

        assertThat(run.handBack()).isTrue();

        assertThat(run.gate().isRefused()).isTrue();
        assertThat(run.finishing()).isFalse();
    }

    @Test
    void illegalTransitionsFailLoudly() {
        HeldRun unclaimed = delivered();
        assertThatThrownBy(unclaimed::finishing).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(unclaimed::done).isInstanceOf(IllegalStateException.class);

        HeldRun held = delivered();
        held.claimed(claim(), inAMinute());
        assertThatThrownBy(() -> held.claimed(claim(), inAMinute())).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> held.refused(new ClaimResult.Refused(RunStatus.SUCCEEDED))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(held::done).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(held::lostAtFinish).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theReturnResponseRepliesToASyncCallerOnlyWhileTheRunIsOurs() throws Exception {
        java.util.List<String> sent = new java.util.concurrent.CopyOnWriteArrayList<>();
        RunJob job = new RunJob(RUN, "f", "v", "app-1", "{}");
        HeldRun run = new HeldRun(new Delivery("default", System.currentTimeMillis() + "-0", job, false),
                (channel, reply) -> sent.add(channel + " " + reply.status() + " " + reply.body()));
        io.flowfleet.core.flow.FlowResponse answer = new io.flowfleet.core.flow.FlowResponse(201, java.util.Map.of(),
                io.flowfleet.core.flow.Json.MAPPER.readTree("{\"ok\":true}"), false);

        run.onResponse(answer); // not claimed yet: the engine never gets here before the claim, and nothing is sent
        assertThat(sent).isEmpty();
        assertThat(run.responded()).isTrue();

        run.claimed(claim(), inAMinute());
        run.onResponse(answer);
        assertThat(sent).containsExactly("app-1 201 {\"ok\":true}");

        assertThat(run.lose()).isTrue();
        run.onResponse(answer);
        assertThat(sent).as("a lost run leaves the caller to its new holder").hasSize(1);

        HeldRun async = delivered();
        async.claimed(claim(), inAMinute());
        async.reply(io.flowfleet.core.queue.Reply.failure(RUN, "boom")); // an async run has no caller: a no-op
    }
}
