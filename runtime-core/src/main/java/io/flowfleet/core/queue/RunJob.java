package io.flowfleet.core.queue;

import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What travels through a queue: which run of which flow version, the trigger payload (so a warm
 * worker needs no read from Postgres), for sync runs the app channel waiting for the response, and
 * whether the run may have been started before ({@code redelivery}: enqueued again by the sweeper
 * or handed back), as opposed to the app's first job for a new run.
 */
public record RunJob(UUID runId, String flowId, String flowVersionId, String replyTo, String payloadJson, boolean redelivery) {
    static final String RUN = "run", FLOW = "flow", VERSION = "version", REPLY = "reply", PAYLOAD = "payload", AGAIN = "again";

    /** The first job of a new run. */
    public RunJob(UUID runId, String flowId, String flowVersionId, String replyTo, String payloadJson) {
        this(runId, flowId, flowVersionId, replyTo, payloadJson, false);
    }

    public RunJob asRedelivery() {
        return new RunJob(runId, flowId, flowVersionId, replyTo, payloadJson, true);
    }

    public boolean sync() {
        return replyTo != null;
    }

    Map<String, String> toFields() {
        Map<String, String> fields = new HashMap<>(8);
        fields.put(RUN, runId.toString());
        fields.put(FLOW, flowId);
        fields.put(VERSION, flowVersionId);
        if (replyTo != null) fields.put(REPLY, replyTo);
        fields.put(PAYLOAD, payloadJson);
        if (redelivery) fields.put(AGAIN, "1");
        return fields;
    }

    static RunJob fromFields(Map<String, String> fields) {
        String run = fields.get(RUN);
        if (run == null || fields.get(FLOW) == null || fields.get(VERSION) == null) {
            throw new IllegalArgumentException("not a run job: fields " + fields.keySet());
        }
        return new RunJob(UUID.fromString(run), fields.get(FLOW), fields.get(VERSION), fields.get(REPLY),
                fields.getOrDefault(PAYLOAD, "{}"), fields.containsKey(AGAIN));
    }
}
