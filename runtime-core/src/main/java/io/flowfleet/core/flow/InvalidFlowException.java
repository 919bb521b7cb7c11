package io.flowfleet.core.flow;

import java.util.List;

/** A flow definition (or a trigger payload) that cannot run; {@link #problems()} says why, one line each. */
public class InvalidFlowException extends Exception {
    private final List<String> problems;

    public InvalidFlowException(List<String> problems) {
        super(problems.size() == 1 ? problems.getFirst()
                : "invalid flow: " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public InvalidFlowException(String problem) {
        this(List.of(problem));
    }

    /** Human-readable problems, e.g. {@code steps[2] (step_3): unknown step type "foo"}. */
    public List<String> problems() {
        return problems;
    }
}
