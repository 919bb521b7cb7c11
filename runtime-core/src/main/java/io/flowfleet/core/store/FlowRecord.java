package io.flowfleet.core.store;

import java.time.Instant;

/** A flow row: its draft (raw JSON as submitted) and the published version, if any. */
public record FlowRecord(
        String id,
        String projectId,
        String name,
        FlowStatus status,
        String sourceFormat,
        String draftJson,
        String publishedVersionId,
        Integer publishedVersion,
        Instant createdAt,
        Instant updatedAt) {
}
