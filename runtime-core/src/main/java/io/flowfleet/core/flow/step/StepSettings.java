package io.flowfleet.core.flow.step;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowfleet.core.flow.template.Template;

import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * A step's settings while the flow is parsed: typed reads that record a problem (with the step's
 * location) instead of throwing, so that validation reports every problem at once.
 */
public abstract class StepSettings {
    private final String where;
    private final ObjectNode settings;
    private final List<String> problems;

    protected StepSettings(String where, ObjectNode settings, List<String> problems) {
        this.where = where;
        this.settings = settings;
        this.problems = problems;
    }

    /** e.g. {@code steps[1] (step_2, code)}. */
    public String where() {
        return where;
    }

    public JsonNode get(String key) {
        JsonNode v = settings.get(key);
        return v == null || v.isMissingNode() ? null : v;
    }

    public void problem(String message) {
        problems.add(where + ": " + message);
    }

    /** Every key of the settings must be one of these. */
    public void allowOnly(Set<String> keys) {
        for (Iterator<String> it = settings.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!keys.contains(key)) {
                problem("unknown setting \"" + key + "\" (allowed: " + String.join(", ", keys.stream().sorted().toList()) + ")");
            }
        }
    }

    /** A setting that must be present (any JSON, templates allowed). */
    public JsonNode required(String key) {
        JsonNode v = get(key);
        if (v == null || v.isNull()) {
            problem("settings." + key + " is required");
            return null;
        }
        return v;
    }

    /** A fixed text setting (no templates), one of {@code choices} when given. */
    public String text(String key, String defaultValue, Set<String> choices) {
        JsonNode v = get(key);
        if (v == null || v.isNull()) {
            if (defaultValue == null) {
                problem("settings." + key + " is required" + (choices == null ? "" : " (one of " + sorted(choices) + ")"));
            }
            return defaultValue;
        }
        if (!v.isTextual()) {
            problem("settings." + key + " must be a string");
            return defaultValue;
        }
        String s = v.textValue();
        if (choices != null && !choices.contains(s)) {
            problem("settings." + key + " is \"" + s + "\"; expected one of " + sorted(choices));
            return defaultValue;
        }
        return s;
    }

    /** An array setting holding a chain of steps. */
    public List<Step> chain(String key, boolean required) {
        JsonNode v = get(key);
        if (v == null || v.isNull()) {
            if (required) {
                problem("settings." + key + " is required (an array of steps)");
            }
            return List.of();
        }
        return chain(v, where + ".settings." + key);
    }

    /** Parses a nested chain (steps of a branch or a loop body). */
    public abstract List<Step> chain(JsonNode steps, String location);

    /** Compiles the step's input; templates must point at the trigger or steps that come earlier. */
    public abstract Template input(JsonNode input);

    /** An object for the input of a step, built by the step from its settings. */
    public static ObjectNode object() {
        return JsonNodeFactory.instance.objectNode();
    }

    private static String sorted(Set<String> s) {
        return String.join(", ", s.stream().sorted().toList());
    }
}
