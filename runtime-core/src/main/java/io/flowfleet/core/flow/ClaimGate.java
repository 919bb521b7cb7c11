package io.flowfleet.core.flow;

import java.util.UUID;
import java.util.concurrent.CountDownLatch;

/**
 * Whether a run may act outside itself yet. A worker delivers a run before it knows the run is its
 * own: the claim (one UPDATE in Postgres) may still be in flight, or may be refused because the job
 * is stale (the run finished long ago) or a duplicate. The engine runs pure steps meanwhile and
 * {@link #await awaits} this gate before every step with an effect outside the run (an HTTP call,
 * the reply to a sync caller). The gate opens once ({@link #grant}) or is shut ({@link #refuse});
 * an open gate can still be shut later ({@link #revoke}: the run was lost to another worker), so
 * later effects do not happen either.
 *
 * <p>The gate also names the run ({@link #runId}), which stays the same across redeliveries, so
 * steps can derive keys that let receivers drop repeats.
 */
public final class ClaimGate {
    private final UUID runId;
    private final CountDownLatch decided = new CountDownLatch(1);
    private volatile boolean granted;
    private volatile String refusal;

    private ClaimGate(UUID runId) {
        this.runId = runId;
    }

    /** A gate still closed: effects wait until {@link #grant} or fail at {@link #refuse}. */
    public static ClaimGate pending(UUID runId) {
        return new ClaimGate(runId);
    }

    /** A gate open from the start (the run is already claimed, or there is no claim: the CLI, tests). */
    public static ClaimGate open(UUID runId) {
        ClaimGate gate = new ClaimGate(runId);
        gate.grant();
        return gate;
    }

    public UUID runId() {
        return runId;
    }

    /** The run is ours: effects may start. No effect once it was refused. */
    public synchronized void grant() {
        if (refusal != null) return;
        granted = true;
        decided.countDown();
    }

    /** The run is not ours (claim refused or failed): every waiting and later effect is abandoned. */
    public synchronized void refuse(String reason) {
        if (refusal == null) refusal = reason;
        granted = false;
        decided.countDown();
    }

    /** The run was ours and no longer is (its lease went to another worker): later effects are abandoned. */
    public void revoke(String reason) {
        refuse(reason);
    }

    /** True once granted and not shut since. */
    public boolean isGranted() {
        return granted;
    }

    /** True once refused or revoked. */
    public boolean isRefused() {
        return refusal != null;
    }

    /**
     * Returns once the run may act outside itself.
     *
     * @throws ClaimRefused the run is not (or no longer) this attempt's: it must stop at once
     */
    public void await() throws ClaimRefused, InterruptedException {
        decided.await();
        String why = refusal;
        if (why != null) throw new ClaimRefused(runId, why);
    }
}
