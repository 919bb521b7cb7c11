package io.flowfleet.core.store;

import io.flowfleet.core.flow.RunStatus;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A run as stored, with its steps when read through {@link RunStore#find(UUID)}. */
public record RunRecord(
        UUID id,
        String flowId,
        String flowVersionId,
        String projectId,
        String queue,
        RunStatus status,
        boolean sync,
        int attempt,
        String workerId,
        Instant createdAt,
        Instant startedAt,
        Instant finishedAt,
        String responseJson,
        String error,
        String payloadJson,
        List<StepOutputRecord> steps) {
}
