package io.flowfleet.core.store;

import io.flowfleet.core.flow.RunStatus;
import java.util.List;
import java.util.UUID;

/** The end of one attempt of a run, written in one statement by {@link RunStore#complete(RunOutcome)}. */
public record RunOutcome(
        UUID runId,
        int attempt,
        String workerId,
        RunStatus status,
        String responseJson,
        String error,
        List<StepOutputRecord> steps) {

    public RunOutcome {
        if (!status.terminal()) throw new IllegalArgumentException("an outcome is terminal, not " + status);
        steps = List.copyOf(steps);
    }
}
