package io.flowfleet.core.run;

import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The deliveries this worker works on right now, claimed or still claiming: the one registry of
 * them. The worker's {@code RunExecutor} adds a delivery when it starts on it and removes it when it
 * is settled; the {@code WorkerLoop}'s keep-alive keeps the pending entries of the {@link #working}
 * ones fresh, its heartbeat extends the leases of the {@link #holding} ones and applies Postgres'
 * answer ({@link #leasesAnswered}) and, at shutdown, hands them back.
 */
public final class HeldRuns {
    private final ConcurrentMap<UUID, HeldRun> runs = new ConcurrentHashMap<>();

    /** False when this worker already works on a delivery of the same run: one at a time. */
    public boolean add(HeldRun run) {
        return runs.putIfAbsent(run.delivery().job().runId(), run) == null;
    }

    /** Removes this delivery (not another delivery of the same run). */
    public void remove(HeldRun run) {
        runs.remove(run.delivery().job().runId(), run);
    }

    public List<HeldRun> snapshot() {
        return List.copyOf(runs.values());
    }

    /** The runs this worker holds now (claimed, running or storing their result): their leases are extended. */
    public List<HeldRun> holding() {
        return runs.values().stream().filter(HeldRun::holding).toList();
    }

    /** Held runs and deliveries still claiming: nobody may reclaim their jobs meanwhile. */
    public List<HeldRun> working() {
        return runs.values().stream().filter(r -> r.holding() || r.state() == HeldRun.State.CLAIMING).toList();
    }

    /**
     * Applies the heartbeat's answer: each run of {@code asked} whose lease Postgres extended
     * ({@code kept}) may act until {@code validUntilNanos}; the others are lost, unless they ended or
     * were handed back meanwhile (no loss).
     *
     * @return how many runs were really lost
     */
    public int leasesAnswered(Collection<HeldRun> asked, Set<UUID> kept, long validUntilNanos) {
        int lost = 0;
        for (HeldRun run : asked) {
            if (kept.contains(run.claim().runId())) run.leaseExtended(validUntilNanos);
            else if (run.lose()) lost++;
        }
        return lost;
    }

    public int size() {
        return runs.size();
    }
}
