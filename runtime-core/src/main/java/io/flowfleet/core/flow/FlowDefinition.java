package io.flowfleet.core.flow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowfleet.core.flow.step.Step;

import java.util.List;

/**
 * A validated flow, compiled for running: templates are parsed once here, never per run.
 * Immutable and safe to share between threads; cache one per flow version.
 *
 * <p>{@link #parse(String)} accepts Flowfleet's format or an Activepieces export (detected by its
 * shape) and {@link #toJson()} gives the canonical Flowfleet JSON, which is what gets published.
 */
public final class FlowDefinition {
    private final String name;
    private final String triggerName;
    private final List<Step> steps;
    private final ObjectNode canonical;
    private final String cacheKey;

    FlowDefinition(String name, String triggerName, List<Step> steps, ObjectNode canonical, String cacheKey) {
        this.name = name;
        this.triggerName = triggerName;
        this.steps = List.copyOf(steps);
        this.canonical = canonical;
        this.cacheKey = cacheKey;
    }

    /** Parses and validates JSON text in Flowfleet or Activepieces format. */
    public static FlowDefinition parse(String json) throws InvalidFlowException {
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InvalidFlowException("flow is not valid JSON: " + e.getOriginalMessage());
        }
        return parse(node);
    }

    /** Parses and validates a JSON tree in Flowfleet or Activepieces format. */
    public static FlowDefinition parse(JsonNode json) throws InvalidFlowException {
        return FlowParser.parse(json);
    }

    /** True when the JSON looks like an Activepieces export rather than Flowfleet's format. */
    public static boolean isActivepiecesFormat(JsonNode json) {
        return io.flowfleet.core.importer.ActivepiecesImporter.looksLikeActivepieces(json);
    }

    /**
     * The same flow with a cache key for its compiled code, e.g. {@code flowId:version}: code
     * steps of definitions with the same key share compiled sources in a {@link FlowEngine}.
     * Use a key that changes whenever the flow's content changes (a published version does not).
     */
    public FlowDefinition withCacheKey(String key) {
        return new FlowDefinition(name, triggerName, steps, canonical, key);
    }

    /** Canonical Flowfleet JSON text of this flow (what is stored as the published bundle). */
    public String toJson() {
        return canonical.toString();
    }

    /** Canonical Flowfleet JSON tree (a copy). */
    public ObjectNode toJsonNode() {
        return canonical.deepCopy();
    }

    public String name() {
        return name;
    }

    public String triggerName() {
        return triggerName;
    }

    /** The top-level chain after the trigger. */
    public List<Step> steps() {
        return steps;
    }

    /** The code cache key, or null when none was given (code is then cached by its text). */
    public String cacheKey() {
        return cacheKey;
    }
}
