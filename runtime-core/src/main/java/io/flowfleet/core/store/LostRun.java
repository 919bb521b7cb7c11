package io.flowfleet.core.store;

import java.util.UUID;

/**
 * An open run the sweeper found without a live job: to be enqueued again. {@code replyTo}: the app
 * channel of its sync caller, when the app stored it; {@code heldBy}: the worker whose lease expired,
 * for a RUNNING run (null for a QUEUED one).
 */
public record LostRun(UUID runId, String flowId, String flowVersionId, String queue, boolean sync, String payloadJson, String replyTo,
                      String heldBy) {
}
