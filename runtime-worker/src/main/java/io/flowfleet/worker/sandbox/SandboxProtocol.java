package io.flowfleet.worker.sandbox;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowfleet.core.flow.FlowResponse;
import io.flowfleet.core.flow.Json;
import io.flowfleet.core.flow.FlowRun;
import io.flowfleet.core.flow.RunStatus;
import io.flowfleet.core.flow.StepRun;

import java.util.List;
import java.util.Map;

/**
 * The worker ↔ sandbox process protocol: one compact JSON object per line. The worker sends
 * {@code {"key", "definition"?, "trigger"}} (the definition only the first time a child sees a key);
 * the child answers with {@code {"event":"response"|"step"|"done", ...}} lines, {@code done} last
 * (steps travel once, in their {@code step} events). The trigger and the steps travel in their own
 * types' JSON forms ({@code TriggerPayload.toJson/fromJson}, {@code StepRun.toJson/fromJson}).
 */
final class SandboxProtocol {
    /** The project's one mapper (runtime-core Json): its read constraints apply to the protocol too. */
    static final ObjectMapper JSON = Json.MAPPER;

    private SandboxProtocol() {
    }

    static ObjectNode response(FlowResponse r) {
        ObjectNode n = JSON.createObjectNode();
        n.put("status", r.status());
        n.set("headers", JSON.valueToTree(r.headers()));
        n.set("body", r.body());
        n.put("raw", r.raw());
        return n;
    }

    static FlowResponse response(JsonNode n) {
        if (n == null || n.isNull()) return null;
        return new FlowResponse(n.get("status").asInt(), strings(n.get("headers")), n.get("body"), n.path("raw").asBoolean());
    }

    static ObjectNode done(FlowRun run) {
        ObjectNode n = JSON.createObjectNode();
        n.put("event", "done");
        n.put("status", run.status().name());
        if (run.failedStep() != null) n.put("failedStep", run.failedStep());
        if (run.error() != null) n.put("error", run.error());
        n.set("response", run.response() == null ? null : response(run.response()));
        n.put("micros", run.durationMicros());
        return n;
    }

    /** The run's end; its steps are the ones the {@code step} events carried. */
    static FlowRun done(JsonNode n, List<StepRun> steps) {
        return new FlowRun(RunStatus.valueOf(n.get("status").asText()), steps, text(n.get("failedStep")), text(n.get("error")),
                response(n.get("response")), n.path("micros").asLong());
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    private static Map<String, String> strings(JsonNode object) {
        return object == null || !object.isObject() ? Map.of()
                : JSON.convertValue(object, new TypeReference<Map<String, String>>() { });
    }
}
