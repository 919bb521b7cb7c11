package io.flowfleet.core.flow;

import com.fasterxml.jackson.databind.JsonNode;
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

    public ObjectNode toJson() {
        ObjectNode out = Json.MAPPER.createObjectNode();
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
}
