package io.flowfleet.core.flow.step;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowfleet.core.flow.template.Scope;
import io.flowfleet.core.flow.template.Template;

import java.util.List;

/**
 * A compiled step: its name, type, templated input and error options. Subclasses hold their
 * settings already checked and compiled; {@link #execute} does the work for one attempt.
 */
public abstract class Step {
    private final String name;
    private final Template input;
    private final ErrorOptions errorOptions;

    protected Step(String name, Template input, ErrorOptions errorOptions) {
        this.name = name;
        this.input = input;
        this.errorOptions = errorOptions;
    }

    public final String name() {
        return name;
    }

    /** The type as written in flows, e.g. {@code code}. */
    public abstract String type();

    public final ErrorOptions errorOptions() {
        return errorOptions;
    }

    /** The step's input (its settings without nested chains or code text), resolved for this run. */
    public JsonNode resolveInput(Scope scope) {
        return input.resolve(scope);
    }

    /** One attempt: returns the step's output. */
    public abstract JsonNode execute(JsonNode input, StepContext context) throws Exception;

    /** Nested chains (branch branches, loop body), for validation and listing. */
    public List<List<Step>> children() {
        return List.of();
    }
}
