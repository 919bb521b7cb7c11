package io.flowfleet.core.flow.template;

import com.fasterxml.jackson.databind.JsonNode;

/** What templates read from: the trigger's and earlier steps' outputs, by name. */
@FunctionalInterface
public interface Scope {
    /** The output of the trigger or step with this name, or null when it has not run. */
    JsonNode output(String name);
}
