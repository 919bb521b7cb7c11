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

    /**
     * True when the step has no effect outside its run: it only computes from its input (math, a
     * branch's condition, a loop, a delay, code in the sandbox, which has no I/O). Pure steps may run
     * while the run's claim is still in flight; any other step (an HTTP call, the reply) first waits
     * for the claim. False unless a step type declares it, so a new step type is safe by default.
     */
    public boolean pure() {
        return false;
    }

    /** One attempt: returns the step's output. */
    public abstract JsonNode execute(JsonNode input, StepContext context) throws Exception;

    /** Nested chains (branch branches, loop body), for validation and listing. */
    public List<List<Step>> children() {
        return List.of();
    }
}
