package io.flowfleet.core.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One execution of a step (steps inside a loop run once per item).
 *
 * @param name           the step's name
 * @param type           the step type, e.g. {@code code}
 * @param status         outcome
 * @param input          the step's settings with templates resolved
 * @param output         what later steps see under the step's name (null node when none)
 * @param error          error message when failed, else null
 * @param attempts       1 + retries made
 * @param durationMicros wall time including retries and backoff
 */
public record StepRun(String name, String type, StepStatus status, JsonNode input, JsonNode output,
                      String error, int attempts, long durationMicros) {

    /**
     * The one JSON form of a step execution (run views, the sandbox protocol): {@code {name, type,
     * status, input, output, error?, attempts, durationMs}}.
     */
    public ObjectNode toJson() {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("name", name);
        out.put("type", type);
        out.put("status", status.name());
        out.set("input", input);
        out.set("output", output);
        if (error != null) {
            out.put("error", error);
        }
        out.put("attempts", attempts);
        out.put("durationMs", durationMicros / 1000.0);
        return out;
    }

    /**
     * Reads {@link #toJson()}'s form. {@code name}, {@code type} and {@code status} are required;
     * a missing input or output is a null node, missing attempts 1, missing duration 0.
     */
    public static StepRun fromJson(JsonNode node) {
        if (node == null || !node.isObject()) throw new IllegalArgumentException("a step run is a JSON object");
        String name = requiredText(node, "name");
        String type = requiredText(node, "type");
        StepStatus status;
        try {
            status = StepStatus.valueOf(requiredText(node, "status"));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown step status " + node.get("status"), e);
        }
        JsonNode error = node.get("error");
        return new StepRun(name, type, status, orNull(node.get("input")), orNull(node.get("output")),
                error == null || error.isNull() ? null : error.asText(), node.path("attempts").asInt(1),
                Math.round(node.path("durationMs").asDouble() * 1000));
    }

    private static String requiredText(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) throw new IllegalArgumentException("a step run needs \"" + field + "\"");
        return v.asText();
    }

    private static JsonNode orNull(JsonNode n) {
        return n == null ? NullNode.getInstance() : n;
    }
}
