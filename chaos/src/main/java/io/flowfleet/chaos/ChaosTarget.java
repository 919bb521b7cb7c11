package io.flowfleet.chaos;

import io.flowfleet.local.LocalPlatform;
import io.flowfleet.local.RuntimeProcess;

import java.io.IOException;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

/** What a fault acts on: the running platform, and what the suite knows about its runs and callers. */
public final class ChaosTarget {

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    /** How long a worker fault waits for a victim that holds the sync runs it wants. */
    static final Duration VICTIM_WAIT = Duration.ofSeconds(20);

    private final LocalPlatform platform;
    private final RunStoreProbe probe;
    private final LoadDriver load;
    private final String longFlowId;
    private final String quickFlowId;
    private final int burst;
    private final Duration lease;
    private final int syncRunsOnKilledWorker;
    private final PrintStream log;
    private final List<String> notes = new java.util.ArrayList<>();

    ChaosTarget(LocalPlatform platform, RunStoreProbe probe, LoadDriver load, String quickFlowId, String longFlowId, int burst,
                Duration lease, int syncRunsOnKilledWorker, PrintStream log) {
        this.syncRunsOnKilledWorker = syncRunsOnKilledWorker;
        this.platform = platform;
        this.quickFlowId = quickFlowId;
        this.burst = burst;
        this.probe = probe;
        this.load = load;
        this.longFlowId = longFlowId;
        this.lease = lease;
        this.log = log;
    }

    public LocalPlatform platform() {
        return platform;
    }

    /** AP_RUN_LEASE_SECONDS of the workers. */
    public Duration lease() {
        return lease;
    }

    public void log(String line) {
        log.println("  " + line);
    }

    /** A worker to strike and how many sync callers' runs of the long flow it held when chosen. */
    public record Victim(RuntimeProcess worker, int syncRuns) {
    }

    /**
     * A worker that holds a run of the long flow right now, one with a sync caller waiting when there
     * is one (waits up to 15 s for one), else the first live worker: a fault should strike a worker
     * in the middle of a run, with a caller waiting.
     */
    public RuntimeProcess busyWorker() throws InterruptedException {
        return victim(1, Duration.ofSeconds(15)).worker();
    }

    /**
     * The worker for a SIGKILL: one holding at least {@code syncRunsOnKilledWorker} sync callers' runs
     * of the long flow (waits up to {@link #VICTIM_WAIT}; else the one holding the most), so the
     * "answered after a worker death" figure covers several callers per kill.
     */
    public Victim workerToKill() throws InterruptedException {
        return victim(syncRunsOnKilledWorker, VICTIM_WAIT);
    }

    private Victim victim(int syncRunsWanted, Duration wait) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        Victim best = null;
        while (System.nanoTime() < deadline) {
            try {
                for (RunStoreProbe.BusyWorker busy : probe.workersRunning(longFlowId)) {
                    for (RuntimeProcess worker : platform.workers()) {
                        if (worker.isAlive() && busy.workerId().endsWith("-" + worker.pid())) {
                            if (busy.syncRuns() >= syncRunsWanted) {
                                return new Victim(worker, busy.syncRuns());
                            }
                            if (best == null || busy.syncRuns() > best.syncRuns()) {
                                best = new Victim(worker, busy.syncRuns());
                            }
                        }
                    }
                }
            } catch (SQLException e) {
                // Postgres is restarting: try again
            }
            Thread.sleep(100);
        }
        if (best != null && best.worker().isAlive()) {
            return best;
        }
        return new Victim(platform.workers().stream().filter(RuntimeProcess::isAlive).findFirst()
                .orElseThrow(() -> new IllegalStateException("no worker is running")), 0);
    }

    /** A line for chaos.md's notes. */
    public void note(String line) {
        notes.add(line);
    }

    List<String> notes() {
        return List.copyOf(notes);
    }

    /**
     * Sends a burst of async runs of the quick flow and waits until the app stored them: a backlog
     * in Redis when the fault strikes. Returns how many were sent.
     */
    public int backlog() throws InterruptedException {
        load.burst(quickFlowId, "quick", burst);
        return burst;
    }

    /** Waits until sync callers of the long flow are waiting on the app (up to 15 s). */
    public void awaitSyncCallersWaiting() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (load.longSyncCallersWaiting() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
    }

    /** Waits until the platform has launched a replacement for {@code old} and it is ready; returns it. */
    public RuntimeProcess awaitReplacement(RuntimeProcess old) throws InterruptedException {
        Supplier<RuntimeProcess> current = old.name().equals(platform.app().name())
                ? platform::app
                : () -> platform.workers().stream().filter(w -> w.name().equals(old.name())).findFirst().orElse(old);
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (current.get() == old) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(old.name() + " was not restarted within " + READY_TIMEOUT.toSeconds() + " s");
            }
            Thread.sleep(100);
        }
        RuntimeProcess replacement = current.get();
        try {
            replacement.awaitReady(READY_TIMEOUT);
        } catch (IllegalStateException diedWhileStarting) {
            return awaitReplacement(replacement);
        }
        return replacement;
    }

    /** Sends a signal (STOP, CONT, ...) with kill(1). */
    public static void signal(long pid, String signal) throws IOException, InterruptedException {
        int status = new ProcessBuilder("kill", "-s", signal, Long.toString(pid)).inheritIO().start().waitFor();
        if (status != 0) {
            throw new IOException("kill -s " + signal + " " + pid + " exited with " + status);
        }
    }

    List<RuntimeProcess> workers() {
        return platform.workers();
    }
}
