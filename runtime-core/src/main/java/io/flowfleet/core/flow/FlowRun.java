package io.flowfleet.core.flow;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * The result of a run.
 *
 * @param status         terminal status
 * @param steps          every step execution in order (the trigger first)
 * @param failedStep     the failing step's name, when FAILED (or the step running at TIMEOUT), else null
 * @param error          the error, when not SUCCEEDED, else null
 * @param response       the Return Response answer, or null when no such step ran
 * @param durationMicros wall time of the run
 */
public record FlowRun(RunStatus status, List<StepRun> steps, String failedStep, String error,
                      FlowResponse response, long durationMicros) {

    public FlowRun {
        steps = List.copyOf(steps);
    }

    /** The last execution of the named step, or null. */
    public StepRun step(String name) {
        for (int i = steps.size() - 1; i >= 0; i--) {
            if (steps.get(i).name().equals(name)) {
                return steps.get(i);
            }
        }
        return null;
    }

    /**
     * JSON form: {@code {"status", "durationMs", "failedStep"?, "error"?, "steps": {name: {type,
     * status, input, output, error?, attempts, durationMs}}, "response": {status, headers, body} | null}}.
     * Under {@code steps} each name holds its last execution (a loop's output carries every iteration).
     */
    public ObjectNode toJson() {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("status", status.name());
        out.put("durationMs", durationMicros / 1000.0);
        if (failedStep != null) {
            out.put("failedStep", failedStep);
        }
        if (error != null) {
            out.put("error", error);
        }
        ObjectNode s = out.putObject("steps");
        for (StepRun step : steps) {
            ObjectNode j = step.toJson();
            j.remove("name"); // it is the key
            s.set(step.name(), j);
        }
        if (response != null) {
            out.set("response", response.toJson());
        } else {
            out.putNull("response");
        }
        return out;
    }
}
