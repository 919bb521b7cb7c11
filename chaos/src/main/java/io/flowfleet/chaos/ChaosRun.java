package io.flowfleet.chaos;

import io.flowfleet.contract.RuntimeSettings;
import io.flowfleet.chaos.ChaosRecords.Fault;
import io.flowfleet.chaos.fault.AppKill;
import io.flowfleet.chaos.fault.PostgresCrash;
import io.flowfleet.chaos.fault.RedisRestartEmpty;
import io.flowfleet.chaos.fault.RedisRestartStale;
import io.flowfleet.chaos.fault.WorkerKill;
import io.flowfleet.chaos.fault.WorkerPause;
import io.flowfleet.chaos.fault.WorkerTerm;
import io.flowfleet.local.LocalPlatform;

import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One chaos run: platform up, traffic on, every fault in turn (each waits until the platform has
 * the component back), traffic off, settle, account. See docs/chaos.md.
 */
public final class ChaosRun {

    /** The outcome: the figures, plus what chaos.md shows besides them. */
    public record Outcome(ChaosReport report, List<Fault> faults, Instant startedAt, Duration duration,
                          Duration settledIn, boolean settled, List<String> notes) {
    }

    private ChaosRun() {
    }

    /** The faults in the order they are injected. */
    static List<ChaosFault> sequence(ChaosOptions options) {
        return List.of(
                new WorkerKill(),
                new WorkerTerm(),
                new WorkerPause(),
                new AppKill(),
                new RedisRestartStale(options.staleness()),
                new RedisRestartEmpty(),
                new PostgresCrash(options.postgresOutage()));
    }

    public static Outcome run(ChaosOptions options, PrintStream log) throws InterruptedException, SQLException {
        Instant startedAt = Instant.now();
        long started = System.nanoTime();
        List<String> notes = new ArrayList<>();
        log.println("Starting the platform: Postgres, Redis, S3, the app and " + options.workers() + " workers ...");
        LocalPlatform platform = LocalPlatform.builder()
                .dataDirectory(options.dataDirectory())
                .fresh(true)
                .appJar(options.appJar())
                .workerJar(options.workerJar())
                .workers(options.workers())
                .workerConcurrency(options.workerConcurrency())
                .env(RuntimeSettings.ENV_VAR_RUN_LEASE_SECONDS, Long.toString(ChaosOptions.RUN_LEASE.toSeconds()))
                .env(RuntimeSettings.ENV_VAR_WEBHOOK_TIMEOUT_SECONDS, Long.toString(ChaosOptions.SYNC_BUDGET.toSeconds()))
                .console(line -> log.println("  [platform] " + line))
                .start();
        // The suite set both (above), so what it measures against is what app and workers run with.
        Duration lease = Duration.ofSeconds(Long.parseLong(platform.runtimeEnv().get(RuntimeSettings.ENV_VAR_RUN_LEASE_SECONDS)));
        Duration syncBudget = Duration.ofSeconds(Long.parseLong(platform.runtimeEnv().get(RuntimeSettings.ENV_VAR_WEBHOOK_TIMEOUT_SECONDS)));
        try (platform; HitCounter counter = HitCounter.start()) {
            String quickFlow = platform.api().createAndPublish(ChaosFlows.quick(counter.baseUrl()));
            String longFlow = platform.api().createAndPublish(ChaosFlows.longRunning(counter.baseUrl()));
            RunStoreProbe probe = new RunStoreProbe(platform.services().postgres(), List.of(quickFlow, longFlow));
            probe.install();

            List<Fault> faults = new ArrayList<>();
            Duration settledIn;
            boolean settled;
            try (LoadDriver load = new LoadDriver("chaos" + startedAt.toEpochMilli(), platform.app().baseUri(), syncBudget)) {
                log.println("Traffic on: async and sync calls of a quick and a long (" + ChaosFlows.LONG_DELAY_MILLIS / 1000
                        + " s) flow ...");
                load.start(quickFlow, longFlow, options.asyncQuickEvery(), options.asyncLongEvery(),
                        options.quickSyncCallers(), options.longSyncCallers());
                Thread.sleep(options.warmup());
                ChaosTarget target = new ChaosTarget(platform, probe, load, quickFlow, longFlow, options.burst(), lease,
                        options.syncRunsOnKilledWorker(), log);
                for (ChaosFault fault : sequence(options)) {
                    log.println("Fault " + fault.kind().id() + " (" + elapsed(started) + ") ...");
                    try {
                        Fault window = fault.inject(target);
                        faults.add(window);
                        log.println("  back after " + Duration.between(window.start(), window.end()).toMillis() / 1000.0 + " s");
                    } catch (Exception e) {
                        notes.add("fault " + fault.kind().id() + " could not be injected: " + e);
                        log.println("  failed: " + e);
                    }
                    Thread.sleep(options.gap());
                }
                log.println("Traffic off; waiting for the callers still waiting (" + elapsed(started) + ") ...");
                load.stop();

                Duration settleTimeout = min(options.settleTimeout(),
                        options.budget().minus(Duration.ofNanos(System.nanoTime() - started)).minusSeconds(20));
                log.println("Settling: every run of the suite terminal, at most " + settleTimeout.toSeconds() + " s ...");
                long settleStart = System.nanoTime();
                settled = awaitSettled(probe, settleTimeout);
                settledIn = Duration.ofNanos(System.nanoTime() - settleStart);
                // Late repeats (a stale job, a woken-up worker) still count: a short quiet period.
                Thread.sleep(Duration.ofSeconds(5));
                if (!settled) {
                    notes.add("runs were still open after the settle timeout of " + settleTimeout.toSeconds() + " s");
                }

                List<ChaosRecords.Hit> hits = counter.hits();
                ChaosReport report = ChaosAccounting.account(load.calls(), probe.runs(), probe.terminalWrites(), hits, faults);
                if (report.sideEffects().repeatedWithoutWorkerDeath() > 0) {
                    notes.add("repeats without a worker death, by the fault that last began before each: "
                            + ChaosAccounting.unexcusedRepeatsByLatestFault(hits, probe.runs(), faults));
                }
                long withKey = hits.stream().filter(hit -> hit.idempotencyKey() != null).count();
                notes.add(withKey + " of " + hits.size() + " counter hits carried an Idempotency-Key header"
                        + (withKey == 0 ? "" : "; " + ChaosAccounting.droppableRepeats(hits)
                        + " repeats carried the key of an earlier hit (a receiver could drop them)"));
                notes.addAll(target.notes());
                ChaosAccounting.syncAfterWorkerFaults(load.calls(), probe.runs(), faults).forEach(notes::add);
                notes.add("platform restarts: app " + platform.appRestarts() + ", workers " + platform.workerRestarts());
                return new Outcome(report, faults, startedAt, Duration.ofNanos(System.nanoTime() - started), settledIn,
                        settled, notes);
            }
        }
    }

    private static boolean awaitSettled(RunStoreProbe probe, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + Math.max(timeout.toNanos(), Duration.ofSeconds(30).toNanos());
        while (System.nanoTime() < deadline) {
            try {
                if (probe.openRuns() == 0) {
                    return true;
                }
            } catch (SQLException e) {
                // Postgres still recovering: ask again
            }
            Thread.sleep(1_000);
        }
        return false;
    }

    private static String elapsed(long startedNanos) {
        return (System.nanoTime() - startedNanos) / 1_000_000_000 + " s";
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}
