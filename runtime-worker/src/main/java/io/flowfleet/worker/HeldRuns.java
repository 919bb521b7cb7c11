package io.flowfleet.worker;

import org.springframework.stereotype.Component;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The runs this worker holds right now: the one registry of them. {@link RunExecutor} adds a run
 * when its claim succeeds and removes it when its delivery is settled; the {@link WorkerLoop}'s
 * heartbeat extends their leases and, at shutdown, hands them back.
 */
@Component
public class HeldRuns {
    private final ConcurrentMap<UUID, HeldRun> runs = new ConcurrentHashMap<>();

    void add(HeldRun run) {
        runs.put(run.delivery.job().runId(), run);
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
