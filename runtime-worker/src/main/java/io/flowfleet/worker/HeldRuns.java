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

    void add(HeldRun run) {
        runs.put(run.delivery.job().runId(), run);
    }

    void remove(HeldRun run) {
        runs.remove(run.delivery.job().runId(), run);
    }

    /** True while a delivery of this run is claiming, held or finishing here. */
    boolean working(UUID runId) {
        HeldRun run = runs.get(runId);
        return run != null && (run.holding() || run.state() == HeldRun.State.CLAIMING);
    }

    List<HeldRun> snapshot() {
        return List.copyOf(runs.values());
    }

    int size() {
        return runs.size();
    }
}
