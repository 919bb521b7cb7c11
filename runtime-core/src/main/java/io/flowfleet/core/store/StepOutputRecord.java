package io.flowfleet.core.store;

/**
 * One executed step. {@code outputJson} is inline JSON, or null when the output was larger than the
 * inline limit and lives in S3 under {@code outputRef}.
 */
public record StepOutputRecord(
        int position,
        String stepName,
        String status,
        String outputJson,
        String outputRef,
        String error,
        long durationMicros) {
}
