package io.flowfleet.core.store;

import java.util.UUID;

/** A run the app has stored as QUEUED: what the job needs to be enqueued. */
public record AcceptedRun(UUID runId, String flowId, String flowVersionId, String projectId, String queue) {
}
