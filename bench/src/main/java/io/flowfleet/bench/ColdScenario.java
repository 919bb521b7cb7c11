package io.flowfleet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowfleet.local.FlowsApiClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * Scenario 2: the first call of a newly published flow on a running worker (bundle fetched from
 * S3, code compiled). Each flow is the seed with its own name and code text, so that no cache of a
 * bundle or of compiled code can serve it; publishing is not timed, the first call is.
 */
final class ColdScenario {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ColdScenario() {
    }

    static BenchResult.Cold run(FlowsApiClient api, SyncCaller caller, String seedDefinition, int flows, Instant deadline) {
        LatencyRecorder recorder = new LatencyRecorder();
        String nonce = Long.toString(System.currentTimeMillis(), 36);
        for (int i = 1; i <= flows && Instant.now().isBefore(deadline); i++) {
            String flowId = api.createAndPublish(freshVariant(seedDefinition, "cold-" + nonce + "-" + i));
            recorder.record(caller.call(api.syncWebhook(flowId)));
        }
        return new BenchResult.Cold(flows, recorder.summary(), recorder.firstError());
    }

    /** The seed flow renamed, with a comment appended to every code step's source. */
    static String freshVariant(String seedDefinition, String tag) {
        try {
            ObjectNode flow = (ObjectNode) JSON.readTree(seedDefinition);
            flow.put("name", flow.path("name").asText("flow") + "-" + tag);
            for (JsonNode step : flow.path("steps")) {
                JsonNode settings = step.path("settings");
                if ("code".equals(step.path("type").asText()) && settings.has("code") && settings instanceof ObjectNode editable) {
                    editable.put("code", settings.get("code").asText() + "\n// " + tag + "\n");
                }
            }
            return JSON.writeValueAsString(flow);
        } catch (IOException e) {
            throw new UncheckedIOException("the seed flow is not JSON", e);
        }
    }
}
