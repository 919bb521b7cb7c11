package io.flowfleet.chaos;

import java.nio.file.Path;
import java.time.Duration;

/**
 * How a chaos run is shaped. The full run ({@code ./flowfleet chaos}) fits in 10 minutes on two
 * cores; the smoke run (the test command's ChaosSmokeIT) sends less traffic with shorter pauses and
 * still injects every fault once.
 *
 * @param asyncQuickEvery pause between async calls of the quick flow
 * @param asyncLongEvery  pause between async calls of the long flow
 * @param warmup          traffic before the first fault
 * @param gap             traffic between two faults
 * @param staleness       how old the snapshot is when Redis restarts from it
 * @param postgresOutage  how long Postgres stays down
 * @param settleTimeout   how long runs may take to end after the last call
 * @param burst           async runs sent at once just before a Redis snapshot and a Postgres crash
 * @param syncRunsOnKilledWorker how many sync callers' runs of the long flow the worker-kill victim
 *                        should hold (it waits up to {@link ChaosTarget#VICTIM_WAIT} for such a worker)
 */
public record ChaosOptions(Path root, Path outputDirectory, boolean smoke, int workers, int workerConcurrency,
                           Duration asyncQuickEvery, Duration asyncLongEvery, int quickSyncCallers, int longSyncCallers,
                           Duration warmup, Duration gap, Duration staleness, Duration postgresOutage,
                           Duration settleTimeout, Duration budget, int burst, int syncRunsOnKilledWorker) {

    /**
     * AP_RUN_LEASE_SECONDS and AP_WEBHOOK_TIMEOUT_SECONDS as the suite sets them on app and workers:
     * the runtime's defaults, set explicitly so that the pause length and the sync budget the suite
     * measures against are the ones the platform runs with (docs/chaos.md).
     */
    public static final Duration RUN_LEASE = Duration.ofSeconds(10);
    public static final Duration SYNC_BUDGET = Duration.ofSeconds(30);

    public static final String USAGE = """
            Usage: ./flowfleet chaos [--out DIR] [--smoke]
              Starts the local platform (2 workers), sends async and sync runs of flows whose steps
              hit a loopback counter, injects every fault (worker-kill, worker-pause, worker-term,
              redis-restart-stale, redis-restart-empty, postgres-crash, app-kill), lets the system
              settle and writes DIR/chaos.json and DIR/chaos.md (default DIR: chaos/results).
              Exit status 1 when a target is missed. At most 10 minutes. See docs/chaos.md.""";

    public static ChaosOptions full(Path root) {
        return new ChaosOptions(root, root.resolve("chaos").resolve("results"), false, 2, 4,
                Duration.ofMillis(300), Duration.ofSeconds(4), 2, 5,
                Duration.ofSeconds(10), Duration.ofSeconds(8), Duration.ofSeconds(8), Duration.ofSeconds(5),
                Duration.ofSeconds(240), Duration.ofMinutes(10), 60, 3);
    }

    public static ChaosOptions smoke(Path root) {
        return new ChaosOptions(root, root.resolve("chaos").resolve("target").resolve("smoke-results"), true, 2, 2,
                Duration.ofSeconds(1), Duration.ofSeconds(5), 1, 1,
                Duration.ofSeconds(5), Duration.ofSeconds(4), Duration.ofSeconds(5), Duration.ofSeconds(3),
                Duration.ofSeconds(240), Duration.ofMinutes(10), 20, 1);
    }

    static ChaosOptions parse(Path root, String[] args) {
        boolean smoke = false;
        Path out = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--smoke" -> smoke = true;
                case "--out" -> {
                    if (++i >= args.length) {
                        throw new IllegalArgumentException("--out needs a directory");
                    }
                    out = Path.of(args[i]);
                }
                default -> throw new IllegalArgumentException("unknown argument: " + args[i]);
            }
        }
        ChaosOptions options = smoke ? smoke(root) : full(root);
        return out == null ? options : options.withOutputDirectory(out);
    }

    public ChaosOptions withOutputDirectory(Path directory) {
        return new ChaosOptions(root, directory, smoke, workers, workerConcurrency, asyncQuickEvery, asyncLongEvery,
                quickSyncCallers, longSyncCallers, warmup, gap, staleness, postgresOutage, settleTimeout, budget, burst,
                syncRunsOnKilledWorker);
    }

    public Path appJar() {
        return root.resolve("runtime-app").resolve("target").resolve("flowfleet-app.jar");
    }

    public Path workerJar() {
        return root.resolve("runtime-worker").resolve("target").resolve("flowfleet-worker.jar");
    }

    public Path dataDirectory() {
        return root.resolve("chaos").resolve("target").resolve(smoke ? "smoke-run" : "chaos-run");
    }
}
