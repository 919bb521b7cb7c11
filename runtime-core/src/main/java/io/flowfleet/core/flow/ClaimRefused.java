package io.flowfleet.core.flow;

import java.util.UUID;

/**
 * The run is not this attempt's to execute (its claim was refused, failed, or later lost): the engine
 * stops it before any further effect, and nothing of the attempt is stored or replied.
 */
public final class ClaimRefused extends Exception {
    private final UUID runId;

    public ClaimRefused(UUID runId, String reason) {
        super("run " + runId + " is not ours: " + reason, null, false, false);
        this.runId = runId;
    }

    public UUID runId() {
        return runId;
    }
}
