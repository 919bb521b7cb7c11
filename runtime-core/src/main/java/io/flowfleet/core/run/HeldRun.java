package io.flowfleet.core.run;

import io.flowfleet.core.flow.ClaimGate;
import io.flowfleet.core.flow.FlowResponse;
import io.flowfleet.core.flow.RunListener;
import io.flowfleet.core.flow.StepRun;
import io.flowfleet.core.queue.Delivery;
import io.flowfleet.core.queue.Reply;
import io.flowfleet.core.store.Claim;
import io.flowfleet.core.store.ClaimResult;
import io.flowfleet.core.store.StepOutputRecord;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One delivery of a run on this worker, from the moment it is read to the moment it is settled, and
 * the one place its state changes. The states and their transitions:
 * <pre>
 *  CLAIMING ──claimed──▶ HELD ──finishing──▶ FINISHING ──done──▶ DONE
 *     │                   │ ├──handBack──▶ HANDED_BACK   (shutdown: another worker runs it)
 *     │                   │ └──lose──────▶ LOST          (the lease went to another worker)
 *     └──refused / claimFailed / abandon──▶ DROPPED       (stale or duplicate job, Postgres unreachable, slot gave up)
 * </pre>
 * It is also the engine's {@link RunListener}: the flow's Return Response is its reply transition
 * (published to the sync caller's app from here, not from the worker), and finished steps are kept
 * for checkpoints. Its {@link ClaimGate} follows the state: opened by the claim, shut by a refusal, a hand-back or a
 * loss, so the flow never acts outside the run unless the run is ours. A transition from a state
 * that does not allow it throws (a bug), except the ones that race by nature (hand-back and loss
 * against the end of the run), which answer false.
 */
public final class HeldRun implements RunListener {
    public enum State { CLAIMING, HELD, FINISHING, DONE, HANDED_BACK, LOST, DROPPED }

    private final Delivery delivery;
    private final long startedNanos = System.nanoTime();
    private final ClaimGate gate;
    private State state = State.CLAIMING;
    private volatile Claim claim;
    private ClaimResult.Refused refusal;
    private RuntimeException claimError;
    private final List<StepRun> steps = new ArrayList<>();
    private int checkpointed;
    /** Where a sync caller's reply goes: the app channel named by the job, and the reply. */
    private final BiConsumer<String, Reply> replies;
    private volatile boolean responded;

    /** A delivery whose replies go nowhere (tests of the transitions). */
    public HeldRun(Delivery delivery) {
        this(delivery, (channel, reply) -> { });
    }

    /** @param replies publishes a reply on an app's channel (the worker passes its ReplyPublisher) */
    public HeldRun(Delivery delivery, BiConsumer<String, Reply> replies) {
        this.delivery = delivery;
        this.gate = ClaimGate.pending(delivery.job().runId());
        this.replies = replies;
    }

    /** The delivery this run came in. */
    public Delivery delivery() {
        return delivery;
    }

    /** When this worker read the delivery (System.nanoTime()). */
    public long startedNanos() {
        return startedNanos;
    }

    public ClaimGate gate() {
        return gate;
    }

    public synchronized State state() {
        return state;
    }

    /** True while this worker holds the run (claimed, running or storing its result). */
    public synchronized boolean holding() {
        return state == State.HELD || state == State.FINISHING;
    }

    /** The claim, once {@link #claimed}; null before (and after a refusal). */
    public Claim claim() {
        return claim;
    }

    /** Why the claim did not take the run: its refusal, or null when it failed ({@link #claimError}) or succeeded. */
    public synchronized ClaimResult.Refused refusal() {
        return refusal;
    }

    public synchronized RuntimeException claimError() {
        return claimError;
    }

    /**
     * CLAIMING → HELD: the run is ours until {@code leaseValidUntilNanos} (System.nanoTime(); the
     * moment the claim was asked for plus the lease); effects may start. False when the delivery was
     * abandoned meanwhile: the claim's lease then runs out and the run is delivered again.
     */
    public synchronized boolean claimed(Claim claim, long leaseValidUntilNanos) {
        if (state == State.DROPPED && refusal == null && claimError == null) return false;
        require(State.CLAIMING, "claimed");
        this.claim = claim;
        state = State.HELD;
        gate.grantUntil(leaseValidUntilNanos);
        return true;
    }

    /** The heartbeat extended the lease: effects may go on until {@code leaseValidUntilNanos}. */
    public void leaseExtended(long leaseValidUntilNanos) {
        gate.extendUntil(leaseValidUntilNanos);
    }

    /** CLAIMING → DROPPED when the slot gives up on the delivery before its claim answered. */
    public synchronized void abandonIfClaiming() {
        if (state != State.CLAIMING) return;
        state = State.DROPPED;
        gate.refuse("delivery abandoned");
    }

    /** CLAIMING → DROPPED: the claim found the run ended or held elsewhere. */
    public synchronized void refused(ClaimResult.Refused refusal) {
        if (state == State.DROPPED) return; // abandoned meanwhile
        require(State.CLAIMING, "refused");
        this.refusal = refusal;
        state = State.DROPPED;
        gate.refuse("claim refused (run " + (refusal.status() == null ? "unknown" : refusal.status()) + ")");
    }

    /** CLAIMING → DROPPED: the claim could not be made (Postgres unreachable); the job is delivered again later. */
    public synchronized void claimFailed(RuntimeException error) {
        if (state == State.DROPPED) return; // abandoned meanwhile
        require(State.CLAIMING, "claimFailed");
        this.claimError = error;
        state = State.DROPPED;
        gate.refuse("claim failed: " + error.getMessage());
    }

    /**
     * HELD → FINISHING: this attempt's result is about to be written. False when the run was handed
     * back or lost meanwhile: the result is dropped.
     */
    public synchronized boolean finishing() {
        if (state == State.HANDED_BACK || state == State.LOST) return false;
        require(State.HELD, "finishing");
        state = State.FINISHING;
        return true;
    }

    /** FINISHING → DONE: result stored and job acknowledged (or the store refused it: see {@link #lose}). */
    public synchronized void done() {
        require(State.FINISHING, "done");
        state = State.DONE;
    }

    /** HELD → HANDED_BACK at shutdown; false when the run is not held any more (it is finishing or over). */
    public synchronized boolean handBack() {
        if (state != State.HELD) return false;
        state = State.HANDED_BACK;
        gate.revoke("handed back at shutdown");
        return true;
    }

    /**
     * HELD → LOST: Postgres says this attempt no longer holds the run. False (no loss) when the run is
     * finishing or ended, or was handed back: the heartbeat raced with those, nothing was lost.
     */
    public synchronized boolean lose() {
        if (state != State.HELD) return false;
        state = State.LOST;
        gate.revoke("lease lost to another worker");
        return true;
    }

    /** The store refused this attempt's result: another attempt holds the run now. */
    public synchronized void lostAtFinish() {
        require(State.FINISHING, "lostAtFinish");
        state = State.LOST;
        gate.revoke("lease lost to another worker");
    }

    private void require(State expected, String transition) {
        if (state != expected) {
            throw new IllegalStateException("run " + delivery.job().runId() + ": " + transition + " from " + state);
        }
    }

    /**
     * Reply, at the flow's Return Response: the sync caller gets the flow's answer at once while the
     * flow goes on. Only while the run is ours (the engine awaited the claim before that step); a
     * handed-back or lost run leaves the caller to the attempt that holds it now.
     */
    @Override
    public void onResponse(FlowResponse response) {
        responded = true;
        if (!delivery.job().sync() || !gate.isGranted()) return;
        Map<String, String> headers = new LinkedHashMap<>(response.headers());
        if (headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("content-type"))) {
            headers.put("Content-Type", response.contentType());
        }
        replies.accept(delivery.job().replyTo(), Reply.response(delivery.job().runId(), response.status(), headers,
                new String(response.bodyBytes(), StandardCharsets.UTF_8)));
    }

    /** True once the flow's Return Response was reached (the caller has its answer, or had it from a previous attempt's step). */
    public boolean responded() {
        return responded;
    }

    /** Reply at the end of the run (its failure, or a success without Return Response): to a sync caller only. */
    public void reply(Reply reply) {
        if (delivery.job().sync()) replies.accept(delivery.job().replyTo(), reply);
    }

    /** Steps are kept for checkpoints of long runs. */
    @Override
    public void onStepFinished(StepRun step) {
        stepDone(step);
    }

    /** Kept as objects: only a checkpoint (long runs) serializes them. */
    public synchronized void stepDone(StepRun step) {
        steps.add(step);
    }

    /**
     * The steps so far when some finished since the last checkpoint, else null. Outputs over the
     * inline limit are left out of checkpoints (the final write stores them in S3).
     */
    public List<StepOutputRecord> checkpointIfChanged() {
        List<StepRun> copy;
        synchronized (this) {
            if (steps.size() == checkpointed) return null;
            checkpointed = steps.size();
            copy = List.copyOf(steps);
        }
        return StepOutputRecord.fromSteps(copy, StepOutputRecord.LargeOutputs.LEAVE_OUT);
    }
}
