package io.flowfleet.core.store;

import java.util.UUID;

/**
 * A worker's hold on a run: RUNNING with this attempt number and a lease it keeps extending.
 * {@code checkpointJson} carries the steps a previous attempt checkpointed, if any.
 */
public record Claim(UUID runId, int attempt, String workerId, String checkpointJson) {
}
