package io.flowfleet.core.store;

import java.util.UUID;

/** An open run the sweeper found without a live job: to be enqueued again. */
public record LostRun(UUID runId, String flowId, String flowVersionId, String queue, boolean sync, String payloadJson) {
}
