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
 * later effects do not happen either. A gate opened with a lease ({@link #grantUntil}) lets effects
 * through only while that lease is known to be valid: past it (the worker was paused, or Postgres
 * could not be told), effects wait until the lease is {@link #extendUntil extended} or the gate is
 * shut, so a worker that lost its run without knowing it yet does not act for it.
 *
 * <p>The gate also names the run ({@link #runId}), which stays the same across redeliveries, so
 * steps can derive keys that let receivers drop repeats.
 */
public final class ClaimGate {
    private final UUID runId;
    private final CountDownLatch decided = new CountDownLatch(1);
    private volatile boolean granted;
    private volatile String refusal;
    /** System.nanoTime() until which the run is known to be ours; meaningful only when {@link #leased}. */
    private long validUntilNanos;
    private boolean leased;

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

    /** The run is ours, for good: effects may start. No effect once it was refused. */
    public synchronized void grant() {
        if (refusal != null) return;
        granted = true;
        leased = false;
        decided.countDown();
    }

    /** The run is ours until {@code validUntilNanos} ({@link System#nanoTime()} clock): effects may start. */
    public synchronized void grantUntil(long validUntilNanos) {
        if (refusal != null) return;
        this.validUntilNanos = validUntilNanos;
        leased = true;
        granted = true;
        decided.countDown();
        notifyAll();
    }

    /** The lease was extended: effects waiting for it go on. */
    public synchronized void extendUntil(long validUntilNanos) {
        if (!leased || validUntilNanos - this.validUntilNanos <= 0) return;
        this.validUntilNanos = validUntilNanos;
        notifyAll();
    }

    /** The run is not ours (claim refused or failed): every waiting and later effect is abandoned. */
    public synchronized void refuse(String reason) {
        if (refusal == null) refusal = reason;
        granted = false;
        decided.countDown();
        notifyAll();
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
        synchronized (this) {
            while (true) {
                if (refusal != null) throw new ClaimRefused(runId, refusal);
                long left = leased ? validUntilNanos - System.nanoTime() : 1;
                if (left > 0) return;
                // The lease lapsed without news: wait for the heartbeat to extend it or to shut the gate.
                wait(100);
            }
        }
    }
}
