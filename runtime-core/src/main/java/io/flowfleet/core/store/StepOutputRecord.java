package io.flowfleet.core.store;

import io.flowfleet.core.bundle.OutputStore;
import io.flowfleet.core.flow.StepRun;

import java.util.ArrayList;
import java.util.List;

/**
 * One executed step. {@code outputJson} is inline JSON, or null when the output was larger than the
 * inline limit and lives in S3 under {@code outputRef} (or was left out of a checkpoint).
 */
public record StepOutputRecord(
        int position,
        String stepName,
        String status,
        String outputJson,
        String outputRef,
        String error,
        long durationMicros) {

    /** Where an output over the inline limit goes: its reference in S3, or null to leave it out. */
    @FunctionalInterface
    public interface LargeOutputs {
        String place(int position, String outputJson);

        /** Checkpoints leave large outputs out: the final write stores them. */
        LargeOutputs LEAVE_OUT = (position, outputJson) -> null;
    }

    /** The rows of a run's steps, in order: the one mapping from {@link StepRun}. */
    public static List<StepOutputRecord> fromSteps(List<StepRun> steps, LargeOutputs large) {
        List<StepOutputRecord> records = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            StepRun s = steps.get(i);
            String output = s.output() == null ? null : s.output().toString();
            String ref = null;
            if (output != null && !OutputStore.fitsInline(output)) {
                ref = large.place(i, output);
                output = null;
            }
            records.add(new StepOutputRecord(i, s.name(), s.status().name(), output, ref, s.error(), s.durationMicros()));
        }
        return records;
    }
}
