package io.flowfleet.worker;

import io.flowfleet.core.bundle.OutputStore;
import io.flowfleet.core.flow.StepRun;
import io.flowfleet.core.queue.Delivery;
import io.flowfleet.core.store.Claim;
import io.flowfleet.core.store.StepOutputRecord;

import java.util.ArrayList;
import java.util.List;

/**
 * A run this worker holds: what the heartbeat extends, checkpoints and, at shutdown, hands back.
 * Registered once its claim succeeded ({@link #claim} set).
 */
final class InFlightRun {
    final Delivery delivery;
    volatile Claim claim;
    /** Set when shutdown handed the run back to the queue: whatever this worker still computes for it is dropped. */
    volatile boolean handedBack;
    final long startedNanos = System.nanoTime();
    private final List<StepRun> steps = new ArrayList<>();
    private int checkpointed;

    InFlightRun(Delivery delivery) {
        this.delivery = delivery;
    }

    /** Kept as objects: only a checkpoint (long runs) serializes them. */
    synchronized void stepDone(StepRun step) {
        steps.add(step);
    }

    /**
     * The steps so far when some finished since the last checkpoint, else null. Outputs over the
     * inline limit are left out of checkpoints (the final write stores them in S3).
     */
    List<StepOutputRecord> checkpointIfChanged() {
        List<StepRun> copy;
        synchronized (this) {
            if (steps.size() == checkpointed) return null;
            checkpointed = steps.size();
            copy = List.copyOf(steps);
        }
        List<StepOutputRecord> records = new ArrayList<>(copy.size());
        for (int i = 0; i < copy.size(); i++) {
            StepRun s = copy.get(i);
            String output = s.output() == null ? null : s.output().toString();
            if (output != null && !OutputStore.fitsInline(output)) output = null;
            records.add(new StepOutputRecord(i, s.name(), s.status().name(), output, null, s.error(), s.durationMicros()));
        }
        return records;
    }
}
