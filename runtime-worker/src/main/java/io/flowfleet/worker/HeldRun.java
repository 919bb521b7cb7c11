package io.flowfleet.worker;

import io.flowfleet.core.flow.ClaimGate;
import io.flowfleet.core.flow.StepRun;
import io.flowfleet.core.queue.Delivery;
import io.flowfleet.core.store.Claim;
import io.flowfleet.core.store.ClaimResult;
import io.flowfleet.core.store.StepOutputRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * One delivery of a run on this worker, from the moment it is read to the moment it is settled, and
 * the one place its state changes. The states and their transitions:
 * <pre>
 *  CLAIMING ──claimed──▶ HELD ──finishing──▶ FINISHING ──done──▶ DONE
 *     │                   │ ├──handBack──▶ HANDED_BACK   (shutdown: another worker runs it)
 *     │                   │ └──lose──────▶ LOST          (the lease went to another worker)
 *     └──refused / claimFailed / abandon──▶ DROPPED       (stale or duplicate job, Postgres unreachable, slot gave up)
 * </pre>
 * Its {@link ClaimGate} follows the state: opened by the claim, shut by a refusal, a hand-back or a
 * loss, so the flow never acts outside the run unless the run is ours. A transition from a state
 * that does not allow it throws (a bug), except the ones that race by nature (hand-back and loss
 * against the end of the run), which answer false.
 */
final class HeldRun {
    enum State { CLAIMING, HELD, FINISHING, DONE, HANDED_BACK, LOST, DROPPED }

    final Delivery delivery;
    final long startedNanos = System.nanoTime();
    private final ClaimGate gate;
    private State state = State.CLAIMING;
    private volatile Claim claim;
    private ClaimResult.Refused refusal;
    private RuntimeException claimError;
    private final List<StepRun> steps = new ArrayList<>();
    private int checkpointed;

    HeldRun(Delivery delivery) {
        this.delivery = delivery;
        this.gate = ClaimGate.pending(delivery.job().runId());
    }

    ClaimGate gate() {
        return gate;
    }

    synchronized State state() {
        return state;
    }

    /** True while this worker holds the run (claimed, running or storing its result). */
    synchronized boolean holding() {
        return state == State.HELD || state == State.FINISHING;
    }

    /** The claim, once {@link #claimed}; null before (and after a refusal). */
    Claim claim() {
        return claim;
    }

    /** Why the claim did not take the run: its refusal, or null when it failed ({@link #claimError}) or succeeded. */
    synchronized ClaimResult.Refused refusal() {
        return refusal;
    }

    synchronized RuntimeException claimError() {
        return claimError;
    }

    /**
     * CLAIMING → HELD: the run is ours until {@code leaseValidUntilNanos} (System.nanoTime(); the
     * moment the claim was asked for plus the lease); effects may start. False when the delivery was
     * abandoned meanwhile: the claim's lease then runs out and the run is delivered again.
     */
    synchronized boolean claimed(Claim claim, long leaseValidUntilNanos) {
        if (state == State.DROPPED && refusal == null && claimError == null) return false;
        require(State.CLAIMING, "claimed");
        this.claim = claim;
        state = State.HELD;
        gate.grantUntil(leaseValidUntilNanos);
        return true;
    }

    /** The heartbeat extended the lease: effects may go on until {@code leaseValidUntilNanos}. */
    void leaseExtended(long leaseValidUntilNanos) {
        gate.extendUntil(leaseValidUntilNanos);
    }

    /** CLAIMING → DROPPED when the slot gives up on the delivery before its claim answered. */
    synchronized void abandonIfClaiming() {
        if (state != State.CLAIMING) return;
        state = State.DROPPED;
        gate.refuse("delivery abandoned");
    }

    /** CLAIMING → DROPPED: the claim found the run ended or held elsewhere. */
    synchronized void refused(ClaimResult.Refused refusal) {
        if (state == State.DROPPED) return; // abandoned meanwhile
        require(State.CLAIMING, "refused");
        this.refusal = refusal;
        state = State.DROPPED;
        gate.refuse("claim refused (run " + (refusal.status() == null ? "unknown" : refusal.status()) + ")");
    }

    /** CLAIMING → DROPPED: the claim could not be made (Postgres unreachable); the job is delivered again later. */
    synchronized void claimFailed(RuntimeException error) {
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
    synchronized boolean finishing() {
        if (state == State.HANDED_BACK || state == State.LOST) return false;
        require(State.HELD, "finishing");
        state = State.FINISHING;
        return true;
    }

    /** FINISHING → DONE: result stored and job acknowledged (or the store refused it: see {@link #lose}). */
    synchronized void done() {
        require(State.FINISHING, "done");
        state = State.DONE;
    }

    /** HELD → HANDED_BACK at shutdown; false when the run is not held any more (it is finishing or over). */
    synchronized boolean handBack() {
        if (state != State.HELD) return false;
        state = State.HANDED_BACK;
        gate.revoke("handed back at shutdown");
        return true;
    }

    /**
     * HELD → LOST: Postgres says this attempt no longer holds the run. False (no loss) when the run is
     * finishing or ended, or was handed back: the heartbeat raced with those, nothing was lost.
     */
    synchronized boolean lose() {
        if (state != State.HELD) return false;
        state = State.LOST;
        gate.revoke("lease lost to another worker");
        return true;
    }

    /** The store refused this attempt's result: another attempt holds the run now. */
    synchronized void lostAtFinish() {
        require(State.FINISHING, "lostAtFinish");
        state = State.LOST;
        gate.revoke("lease lost to another worker");
    }

    private void require(State expected, String transition) {
        if (state != expected) {
            throw new IllegalStateException("run " + delivery.job().runId() + ": " + transition + " from " + state);
        }
    }

    /** Kept as objects: only a checkpoint (long runs) serializes them. */
    synchronized void stepDone(StepRun step) {
        steps.add(step);
    }

    /**
     * The steps so far when some finished since the last checkpoint, else null. Outputs over the
     * inline limit are left out of checkpoints (the final write stores them in S3).
     */
    List<StepOutputRecord> checkpointIfChanged() {
        List<StepRun> copy;
        synchronized (this) {
            if (steps.size() == checkpointed) return null;
            checkpointed = steps.size();
            copy = List.copyOf(steps);
        }
        return StepOutputRecord.fromSteps(copy, StepOutputRecord.LargeOutputs.LEAVE_OUT);
    }
}
