package io.flowfleet.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowfleet.core.bundle.OutputStore;
import io.flowfleet.core.store.RunRecord;
import io.flowfleet.core.store.RunStore;
import io.flowfleet.core.store.StepOutputRecord;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.time.Duration;
import java.util.UUID;

/** A run with its steps' outputs (large ones fetched back from S3). */
@RestController
public class RunsController {
    private final RunStore runs;
    private final OutputStore outputs;
    private final ObjectMapper json;

    public RunsController(RunStore runs, OutputStore outputs, ObjectMapper json) {
        this.runs = runs;
        this.outputs = outputs;
        this.json = json;
    }

    @GetMapping(path = "/api/v1/runs/{runId}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ObjectNode get(@PathVariable String runId) {
        UUID id;
        try {
            id = UUID.fromString(runId);
        } catch (IllegalArgumentException e) {
            throw ApiException.notFound("run " + runId + " does not exist (run ids are UUIDs)");
        }
        RunRecord run = runs.find(id).orElseThrow(() -> ApiException.notFound("run " + runId + " does not exist"));
        return view(json, run, outputs);
    }

    /** JSON view of a run; steps only when read one by one ({@code outputs} given). */
    static ObjectNode view(ObjectMapper json, RunRecord run, OutputStore outputs) {
        ObjectNode out = json.createObjectNode();
        out.put("id", run.id().toString());
        out.put("flowId", run.flowId());
        out.put("flowVersionId", run.flowVersionId());
        out.put("projectId", run.projectId());
        out.put("queue", run.queue());
        out.put("status", run.status().name());
        out.put("sync", run.sync());
        out.put("attempt", run.attempt());
        out.put("workerId", run.workerId());
        out.put("createdAt", run.createdAt().toString());
        out.put("startedAt", run.startedAt() == null ? null : run.startedAt().toString());
        out.put("finishedAt", run.finishedAt() == null ? null : run.finishedAt().toString());
        if (run.startedAt() != null && run.finishedAt() != null) {
            out.put("durationMs", Duration.between(run.startedAt(), run.finishedAt()).toNanos() / 1e6);
        }
        out.set("response", parse(json, run.responseJson()));
        out.put("error", run.error());
        if (outputs != null) {
            out.set("payload", parse(json, run.payloadJson()));
            ArrayNode steps = out.putArray("steps");
            for (StepOutputRecord s : run.steps()) {
                ObjectNode step = steps.addObject();
                step.put("position", s.position());
                step.put("name", s.stepName());
                step.put("status", s.status());
                if (s.outputRef() != null) {
                    step.put("outputRef", s.outputRef());
                    step.set("output", parse(json, outputs.read(s.outputRef()).orElse(null)));
                } else {
                    step.set("output", parse(json, s.outputJson()));
                }
                if (s.error() != null) step.put("error", s.error());
                step.put("durationMs", s.durationMicros() / 1000.0);
            }
        }
        return out;
    }

    private static JsonNode parse(ObjectMapper json, String text) {
        if (text == null) return json.nullNode();
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            return json.getNodeFactory().textNode(text);
        }
    }
}
