package io.flowfleet.worker;

import org.springframework.stereotype.Component;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The deliveries this worker works on right now, claimed or still claiming: the one registry of
 * them. {@link RunExecutor} adds a delivery when it starts on it and removes it when it is settled;
 * the {@link WorkerLoop}'s keep-alive keeps their pending entries fresh, its heartbeat extends the
 * leases of the claimed ones and, at shutdown, hands them back.
 */
@Component
public class HeldRuns {
    private final ConcurrentMap<UUID, HeldRun> runs = new ConcurrentHashMap<>();

    /** False when this worker already works on a delivery of the same run: one at a time. */
    boolean add(HeldRun run) {
        return runs.putIfAbsent(run.delivery.job().runId(), run) == null;
    }

    void remove(HeldRun run) {
        runs.remove(run.delivery.job().runId(), run);
    }

    List<HeldRun> snapshot() {
        return List.copyOf(runs.values());
    }

    int size() {
        return runs.size();
    }
}
