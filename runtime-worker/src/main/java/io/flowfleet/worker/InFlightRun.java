package io.flowfleet.worker;

import io.flowfleet.core.queue.Delivery;
import io.flowfleet.core.store.Claim;
import io.flowfleet.core.store.StepOutputRecord;

import java.util.ArrayList;
import java.util.List;

/** A run this worker holds: what the heartbeat extends, checkpoints and, at shutdown, hands back. */
final class InFlightRun {
    final Delivery delivery;
    final Claim claim;
    final long startedNanos = System.nanoTime();
    final Thread thread = Thread.currentThread();
    private final List<StepOutputRecord> steps = new ArrayList<>();
    private int checkpointed;

    InFlightRun(Delivery delivery, Claim claim) {
        this.delivery = delivery;
        this.claim = claim;
    }

    synchronized void stepDone(StepOutputRecord step) {
        steps.add(step);
    }

    /** Steps finished since the last checkpoint was taken, or null when none. */
    synchronized List<StepOutputRecord> checkpointIfChanged() {
        if (steps.size() == checkpointed) return null;
        checkpointed = steps.size();
        return List.copyOf(steps);
    }
}
