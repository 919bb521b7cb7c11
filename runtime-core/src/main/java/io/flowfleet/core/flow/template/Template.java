package io.flowfleet.core.flow.template;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A settings value compiled once at parse time: a constant, a reference such as
 * {@code {{step_1.sum}}} (keeps the JSON type of what it points at), a text with references
 * inside (stringified), or an object/array holding any of these.
 */
public sealed interface Template permits Template.Constant, Reference, Interpolation, ObjectTemplate, ArrayTemplate {

    /** Resolves against a run's outputs. Constants return their (shared, never mutated) node. */
    JsonNode resolve(Scope scope);

    /** True when the value holds no template at all. */
    default boolean isConstant() {
        return false;
    }

    /** A value without templates. */
    record Constant(JsonNode value) implements Template {
        @Override
        public JsonNode resolve(Scope scope) {
            return value;
        }

        @Override
        public boolean isConstant() {
            return true;
        }
    }
}
