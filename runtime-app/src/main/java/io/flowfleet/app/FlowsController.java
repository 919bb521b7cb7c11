package io.flowfleet.app;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import io.flowfleet.core.flow.Json;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowfleet.core.bundle.BundleStore;
import io.flowfleet.core.flow.FlowDefinition;
import io.flowfleet.core.flow.InvalidFlowException;
import io.flowfleet.core.store.FlowRecord;
import io.flowfleet.core.store.FlowStatus;
import io.flowfleet.core.store.FlowStore;
import io.flowfleet.core.store.FlowVersionRecord;
import io.flowfleet.core.store.RunRecord;
import io.flowfleet.core.store.RunStore;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.UUID;
import java.util.regex.Pattern;

/** The flows API: drafts (Flowfleet or Activepieces JSON), publish, enable/disable, delete, runs. */
@RestController
@RequestMapping(path = "/api/v1/flows", produces = MediaType.APPLICATION_JSON_VALUE)
public class FlowsController {
    private static final Pattern PROJECT_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final FlowStore flows;
    private final RunStore runs;
    private final BundleStore bundles;
    private final ObjectMapper json;

    public FlowsController(FlowStore flows, RunStore runs, BundleStore bundles, ObjectMapper json) {
        this.flows = flows;
        this.runs = runs;
        this.bundles = bundles;
        this.json = json;
    }

    @PostMapping(consumes = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<ObjectNode> create(@RequestBody byte[] bytes, @RequestParam(defaultValue = "default") String projectId) {
        if (!PROJECT_ID.matcher(projectId).matches()) {
            throw ApiException.badRequest("projectId '" + projectId + "' must match " + PROJECT_ID.pattern());
        }
        String body = Utf8.decode(bytes, "the flow");
        Draft draft = validate(body);
        FlowRecord flow = flows.create(UUID.randomUUID().toString(), projectId, draft.name, draft.format, body);
        return ResponseEntity.status(HttpStatus.CREATED).body(view(flow, true));
    }

    @PutMapping(path = "/{id}", consumes = MediaType.APPLICATION_JSON_VALUE)
    public ObjectNode update(@PathVariable String id, @RequestBody byte[] bytes) {
        existing(id);
        String body = Utf8.decode(bytes, "the flow");
        Draft draft = validate(body);
        return view(flows.updateDraft(id, draft.name, draft.format, body).orElseThrow(() -> missing(id)), true);
    }

    /** Publishes the draft as a new immutable version: bundle to S3 first, then the version row. */
    @PostMapping("/{id}/publish")
    public ObjectNode publish(@PathVariable String id) {
        FlowRecord flow = existing(id);
        FlowDefinition definition;
        try {
            definition = FlowDefinition.parse(flow.draftJson());
        } catch (InvalidFlowException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "INVALID_FLOW", "the draft cannot be published: " + e.getMessage());
        }
        String versionId = UUID.randomUUID().toString();
        String canonical = definition.toJson();
        String key = bundles.write(id, versionId, canonical);
        FlowVersionRecord version = flows.publish(id, versionId, canonical, key).orElseThrow(() -> missing(id));
        // The flow row may already point at a concurrent publish's version: reply with this one.
        ObjectNode out = view(existing(id), false);
        out.put("publishedVersion", version.version());
        out.put("publishedVersionId", version.id());
        return out;
    }

    @PostMapping("/{id}/enable")
    public ObjectNode enable(@PathVariable String id) {
        FlowRecord flow = existing(id);
        if (!flows.setEnabled(id, true)) {
            throw new ApiException(HttpStatus.CONFLICT, "NOT_PUBLISHED",
                    "flow " + id + " has never been published (status " + flow.status() + "): publish it first");
        }
        return view(existing(id), false);
    }

    @PostMapping("/{id}/disable")
    public ObjectNode disable(@PathVariable String id) {
        existing(id);
        flows.setEnabled(id, false);
        return view(existing(id), false);
    }

    @GetMapping("/{id}")
    public ObjectNode get(@PathVariable String id) {
        FlowRecord flow = flows.find(id).orElseThrow(() -> ApiException.notFound("flow " + id + " does not exist"));
        return view(flow, true);
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<Void> delete(@PathVariable String id) {
        existing(id);
        flows.delete(id);
        return ResponseEntity.noContent().build();
    }

    @GetMapping("/{id}/runs")
    public ObjectNode runs(@PathVariable String id, @RequestParam(defaultValue = "50") int limit) {
        flows.find(id).orElseThrow(() -> ApiException.notFound("flow " + id + " does not exist"));
        if (limit < 1 || limit > 1000) throw ApiException.badRequest("limit must be between 1 and 1000");
        ObjectNode out = json.createObjectNode();
        ArrayNode list = out.putArray("runs");
        for (RunRecord run : runs.listByFlow(id, limit)) list.add(RunsController.view(json, run, null));
        return out;
    }

    /** A flow that exists and is not deleted. */
    private FlowRecord existing(String id) {
        FlowRecord flow = flows.find(id).orElseThrow(() -> missing(id));
        if (flow.status() == FlowStatus.DELETED) throw ApiException.gone("flow " + id + " was deleted");
        return flow;
    }

    private static ApiException missing(String id) {
        return ApiException.notFound("flow " + id + " does not exist");
    }

    private record Draft(String name, String format) {
    }

    private Draft validate(String body) {
        JsonNode node;
        try {
            node = Json.REQUEST_MAPPER.readTree(body);
        } catch (StreamConstraintsException e) {
            throw ApiException.badRequest("the flow is refused: " + Json.limitMessage(e));
        } catch (JsonProcessingException e) {
            throw ApiException.badRequest("the flow is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) throw ApiException.badRequest("the flow must be a JSON object");
        String unstorable;
        try (JsonParser p = Json.REQUEST_FACTORY.createParser(body)) {
            p.nextToken();
            unstorable = Json.unstorable(p, body.indexOf("\\u") >= 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // read once already: cannot happen
        }
        if (unstorable != null) throw ApiException.badRequest("the flow cannot be stored: " + unstorable);
        try {
            FlowDefinition definition = FlowDefinition.parse(node);
            String format = FlowDefinition.isActivepiecesFormat(node) ? "activepieces" : "flowfleet";
            String name = definition.name() == null || definition.name().isBlank() ? "unnamed" : definition.name();
            return new Draft(name, format);
        } catch (InvalidFlowException e) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "INVALID_FLOW", e.getMessage());
        }
    }

    private ObjectNode view(FlowRecord flow, boolean withDraft) {
        ObjectNode out = json.createObjectNode();
        out.put("id", flow.id());
        out.put("projectId", flow.projectId());
        out.put("name", flow.name());
        out.put("status", flow.status().name());
        out.put("format", flow.sourceFormat());
        if (flow.publishedVersion() != null) {
            out.put("publishedVersion", flow.publishedVersion());
            out.put("publishedVersionId", flow.publishedVersionId());
        } else {
            out.putNull("publishedVersion");
        }
        out.put("webhookUrl", "/api/v1/webhooks/" + flow.id());
        out.put("syncWebhookUrl", "/api/v1/webhooks/" + flow.id() + "/sync");
        out.put("createdAt", flow.createdAt().toString());
        out.put("updatedAt", flow.updatedAt().toString());
        if (withDraft) {
            try {
                out.set("draft", json.readTree(flow.draftJson()));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("stored draft of " + flow.id() + " is not JSON", e);
            }
        }
        return out;
    }
}
