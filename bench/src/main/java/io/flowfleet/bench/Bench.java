package io.flowfleet.bench;

import io.flowfleet.local.LocalPlatform;
import io.flowfleet.local.RuntimeProcess;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

/**
 * The benchmark of issue 5: starts the platform on loopback (Postgres, Redis, S3, the app and N
 * workers as processes), publishes the seed's 4-step flow and measures warm, cold, worker start and
 * load, plus CPU per run of each process; writes latest.json and latest.md; stops all it started.
 * This JVM is the load generator, a process apart from app and workers. See docs/benchmarks.md.
 */
public final class Bench {

    static final String SEED_PAYLOAD = "{}";
    static final String SEED_ANSWER = "{\"sum\":6}";
    private static final Duration WORKER_START_RESERVE = Duration.ofSeconds(45);

    private Bench() {
    }

    public static void main(String[] args) {
        Path root = Path.of(System.getProperty("flowfleet.root", "")).toAbsolutePath().normalize();
        BenchOptions options;
        try {
            if (List.of(args).contains("--help") || List.of(args).contains("-h")) {
                System.out.println(BenchOptions.USAGE);
                return;
            }
            options = BenchOptions.parse(root, args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        try {
            BenchResult result = run(options, System.out);
            System.out.println();
            System.out.println(ReportWriter.markdown(result));
            System.out.println("Results: " + options.outputDirectory().resolve("latest.json") + " and latest.md");
        } catch (RuntimeException | InterruptedException e) {
            System.err.println("The benchmark failed: " + e.getMessage());
            System.exit(1);
        }
    }

    /** Runs every scenario within the options' budget and writes the results; returns them. */
    public static BenchResult run(BenchOptions options, java.io.PrintStream log) throws InterruptedException {
        Instant started = Instant.now();
        Instant deadline = started.plus(options.budget());
        List<String> notes = new ArrayList<>();
        String seedDefinition = read(options.flowFile());
        Path dataDirectory = options.dataDirectory();
        createDirectories(options.outputDirectory());

        log.println("Starting the platform: Postgres, Redis, S3, the app and " + options.workers() + " worker(s) ...");
        LocalPlatform.Builder builder = LocalPlatform.builder()
                .dataDirectory(dataDirectory)
                .fresh(true)
                .optimizingJs(options.optimizingJs())
                .appJar(options.appJar())
                .workerJar(options.workerJar())
                .workers(options.workers())
                .workerConcurrency(options.workerConcurrency());
        if (options.profile()) {
            Path recordings = options.outputDirectory().toAbsolutePath();
            builder.appJvmArgs(List.of("-XX:StartFlightRecording=filename=" + recordings.resolve("app-%p.jfr")
                    + ",settings=profile,dumponexit=true"));
            builder.workerJvmArgs(List.of("-XX:StartFlightRecording=filename=" + recordings.resolve("worker-%p.jfr")
                    + ",settings=profile,dumponexit=true"));
            notes.add("JFR recordings (settings=profile) of app and workers are in " + recordings);
        }
        double loadAverageBefore = SystemInfo.loadAverage();
        long startNanos = System.nanoTime();
        LocalPlatform platform = builder.start();
        double platformStartSeconds = Math.round((System.nanoTime() - startNanos) / 1e6) / 1000.0;
        List<Long> pids = new ArrayList<>();
        BenchResult result;
        try (platform;
             SyncCaller caller = new SyncCaller(SEED_PAYLOAD, SEED_ANSWER, Duration.ofSeconds(35));
             SyncCaller patientCaller = new SyncCaller(SEED_PAYLOAD, SEED_ANSWER, Duration.ofSeconds(120))) {
            pids.addAll(platformPids(platform));
            String flowId = platform.api().createAndPublish(seedDefinition);
            URI webhook = platform.api().syncWebhook(flowId);
            CallOutcome first = caller.call(webhook);
            if (!first.ok()) {
                throw new IllegalStateException("the seed flow's first call failed: " + first.error()
                        + "; app log " + platform.app().logFile());
            }
            log.printf("Platform up in %.1f s; seed flow %s answers %s%n", platformStartSeconds, flowId, SEED_ANSWER);

            BenchResult.Idle idle = measureIdle(new CpuMeter(platform), options.smoke() ? Duration.ofSeconds(1) : Duration.ofSeconds(5));

            Duration load = options.loadWarmup().plus(options.loadDuration()).multipliedBy(2);
            Duration spare = remaining(deadline).minus(load).minus(WORKER_START_RESERVE);
            Instant warmDeadline = Instant.now().plus(max(Duration.ofSeconds(10), spare.multipliedBy(6).dividedBy(10)));

            log.println("Warm: warm-up (" + options.warmupTime().toSeconds() + " s, at least " + options.warmupCalls()
                    + " calls), then " + options.warmCalls() + " sequential calls ...");
            BenchResult.Warm warm = WarmScenario.run(caller, webhook, options.warmupCalls(), options.warmupTime(), options.warmCalls(),
                    new CpuMeter(platform), new ServerTimings(platform), warmDeadline);
            if (warm.latency().count() + warm.latency().errors() < options.warmCalls()) {
                notes.add("warm: the time budget allowed " + (warm.latency().count() + warm.latency().errors())
                        + " of " + options.warmCalls() + " calls");
            }

            log.println("Cold: first call of " + options.coldFlows() + " freshly published flows ...");
            Instant coldDeadline = Instant.now().plus(max(Duration.ofSeconds(5),
                    remaining(deadline).minus(load).minus(WORKER_START_RESERVE)));
            BenchResult.Cold cold = ColdScenario.run(platform.api(), caller, seedDefinition, options.coldFlows(), coldDeadline);
            if (cold.latency().count() + cold.latency().errors() < options.coldFlows()) {
                notes.add("cold: the time budget allowed " + (cold.latency().count() + cold.latency().errors())
                        + " of " + options.coldFlows() + " flows");
            }

            List<BenchResult.Load> loads = new ArrayList<>();
            for (int concurrency : List.of(options.slots(), 4 * options.slots())) {
                if (remaining(deadline).compareTo(options.loadWarmup().plus(options.loadDuration())) < 0) {
                    notes.add("load at concurrency " + concurrency + " skipped: time budget spent");
                    continue;
                }
                log.println("Load: " + concurrency + " concurrent callers for " + options.loadDuration().toSeconds()
                        + " s (after " + options.loadWarmup().toMillis() + " ms warm-up) ...");
                loads.add(LoadScenario.run(caller, webhook, concurrency, options.loadWarmup(), options.loadDuration(),
                        new CpuMeter(platform)));
            }

            BenchResult.WorkerStart workerStart;
            if (!options.workerStart()) {
                workerStart = new BenchResult.WorkerStart(false, 0, 0, "not requested");
            } else if (remaining(deadline).compareTo(Duration.ofSeconds(20)) < 0) {
                workerStart = new BenchResult.WorkerStart(false, 0, 0, "skipped: time budget spent");
            } else {
                log.println("Worker start: stop the workers, send a call, launch a worker ...");
                workerStart = WorkerStartScenario.run(platform, patientCaller, webhook);
                platform.workers().stream().map(RuntimeProcess::pid).filter(pid -> !pids.contains(pid)).forEach(pids::add);
            }

            log.println("Checking what Postgres stored ...");
            BenchResult.Durability durability = DurabilityCheck.run(platform.services().postgres(),
                    caller.successes() + patientCaller.successes(), Duration.ofSeconds(15));

            result = new BenchResult(started.toString(), 0, SystemInfo.machine(loadAverageBefore), SystemInfo.versions(options.root(), platform),
                    new BenchResult.Setup(options.workers(), options.workerConcurrency(), options.slots(),
                            options.root().relativize(options.flowFile().toAbsolutePath()).toString(), options.smoke(),
                            options.profile(), "PostgreSQL defaults: synchronous_commit=on, fsync=on",
                            options.optimizingJs() ? "optimizing (as in the worker image)" : "interpreter (java -jar)"),
                    platformStartSeconds, idle, warm, loads, cold, workerStart, durability, List.of(), notes);
        }
        // try-with-resources closed the platform: everything it started must be gone.
        List<Long> leftRunning = pids.stream().filter(Bench::stillRunningAfterGrace).toList();
        result = new BenchResult(result.startedAt(), Math.round(Duration.between(started, Instant.now()).toMillis()) / 1000.0,
                result.machine(), result.versions(), result.setup(), result.platformStartSeconds(), result.idle(), result.warm(), result.load(),
                result.cold(), result.workerStart(), result.durability(), leftRunning, result.notes());
        ReportWriter.write(result, options.outputDirectory());
        return result;
    }

    private static List<Long> platformPids(LocalPlatform platform) {
        List<Long> pids = new ArrayList<>();
        pids.add(platform.app().pid());
        platform.workers().forEach(worker -> pids.add(worker.pid()));
        OptionalLong postgres = platform.services().postgres().pid();
        postgres.ifPresent(pids::add);
        platform.services().redis().pid().ifPresent(pids::add);
        pids.add(platform.services().s3().pid());
        return pids;
    }

    /** CPU the platform burns with no traffic, as cores busy per process group. */
    private static BenchResult.Idle measureIdle(CpuMeter cpu, Duration window) throws InterruptedException {
        var before = cpu.snapshot();
        Thread.sleep(window);
        var after = cpu.snapshot();
        var busy = new java.util.LinkedHashMap<String, Double>();
        CpuMeter.perRunMillis(before, after, 1).forEach((group, millis) ->
                busy.put(group, CpuMeter.round3(millis / window.toMillis())));
        return new BenchResult.Idle(window.toMillis() / 1000.0, busy);
    }

    /** True when the process is still there 10 s after the platform closed. */
    private static boolean stillRunningAfterGrace(long pid) {
        return ProcessHandle.of(pid)
                .map(process -> process.onExit().completeOnTimeout(process, 10, java.util.concurrent.TimeUnit.SECONDS).join().isAlive())
                .orElse(false);
    }

    private static Duration remaining(Instant deadline) {
        return Duration.between(Instant.now(), deadline);
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static void createDirectories(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + directory, e);
        }
    }
}
