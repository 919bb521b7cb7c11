package io.flowfleet.core.store;

import io.flowfleet.core.flow.RunStatus;

/**
 * What a claim found: the run is ours now ({@link Claimed}), or it is not ({@link Refused}), with the
 * state that refused it, so the worker knows whether the delivery is spent (the run ended, or it is
 * unknown) or belongs to a live holder.
 */
public sealed interface ClaimResult {

    record Claimed(Claim claim) implements ClaimResult {
    }

    /**
     * @param status    the run's status as the claim saw it; null when there is no such run. RUNNING
     *                  (or QUEUED, when another worker claimed it at the same moment) means it is held
     *                  elsewhere.
     * @param leaseLeft when held elsewhere, how long its holder's lease still runs (as Postgres saw
     *                  it); null otherwise. A job left pending for that run is worth claiming again
     *                  only then.
     */
    record Refused(RunStatus status, java.time.Duration leaseLeft) implements ClaimResult {
        public Refused(RunStatus status) {
            this(status, null);
        }

        /** The run ended (or does not exist): every job for it is spent. */
        public boolean runEnded() {
            return status == null || status.terminal();
        }
    }
}
