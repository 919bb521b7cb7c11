package io.flowfleet.bench;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What a benchmark run does. {@link #defaults(Path)} is the documented run (about 3-4 minutes,
 * bounded by {@link #budget}); {@link #smoke(Path)} is the few-seconds variant the test suite runs.
 *
 * @param root            repository root (jars, flow file and default output are found from it)
 * @param workers         worker processes (N)
 * @param workerConcurrency AP_WORKER_CONCURRENCY; slots = workers x workerConcurrency
 * @param warmupCalls     sequential calls before the warm measurement (not recorded), at least
 * @param warmupTime      ... and for at least this long: JIT compilation of app, workers and client must have settled
 * @param warmCalls       sequential calls measured
 * @param coldFlows       fresh flows published and called once each
 * @param loadWarmup      time at each load level before measuring
 * @param loadDuration    measured time at each load level
 * @param workerStart     whether to measure a worker process's start to its first served run
 * @param budget          the whole run (platform start included) stops scenarios past this
 * @param outputDirectory where latest.json and latest.md go
 * @param profile         record JFR in app and workers (files next to the results)
 * @param optimizingJs    run workers as the worker image does: GraalJS on its optimizing runtime
 */
public record BenchOptions(Path root, int workers, int workerConcurrency, int warmupCalls, Duration warmupTime, int warmCalls,
                           int coldFlows, Duration loadWarmup, Duration loadDuration, boolean workerStart,
                           Duration budget, Path outputDirectory, boolean profile, boolean smoke,
                           boolean optimizingJs) {

    static final String USAGE = """
            Usage: ./flowfleet bench [--workers N] [--worker-concurrency C] [--warmup-seconds S] [--warm-calls N] [--cold-flows N]
                                     [--load-seconds S] [--budget-seconds S] [--out DIR] [--profile] [--optimizing-js] [--smoke]
              Starts Postgres, Redis, S3, the app and N workers (default 2) on loopback, publishes
              examples/flows/seed-benchmark.json and measures warm, cold, worker start and load; writes
              DIR/latest.json and DIR/latest.md (default bench/results). --profile records JFR in app and
              workers. --optimizing-js runs workers like the worker image (GraalJS optimizing runtime).
              --smoke runs tiny counts in seconds (what the test suite runs).""";

    public BenchOptions {
        if (workers < 1 || workerConcurrency < 1) {
            throw new IllegalArgumentException("workers and worker concurrency must be at least 1");
        }
        if (warmCalls < 1 || coldFlows < 0 || warmupCalls < 0) {
            throw new IllegalArgumentException("warm calls must be at least 1, warm-up calls and cold flows at least 0");
        }
    }

    public static BenchOptions defaults(Path root) {
        return new BenchOptions(root, 2, 1, 300, Duration.ofSeconds(20), 1_000, 20, Duration.ofSeconds(5), Duration.ofSeconds(20),
                true, Duration.ofMinutes(5), root.resolve("bench").resolve("results"), false, false, false);
    }

    public static BenchOptions smoke(Path root) {
        return new BenchOptions(root, 1, 1, 5, Duration.ZERO, 20, 2, Duration.ofMillis(500), Duration.ofSeconds(2),
                true, Duration.ofMinutes(3), root.resolve("bench").resolve("target").resolve("smoke-results"), false, true, false);
    }

    public int slots() {
        return workers * workerConcurrency;
    }

    public Path appJar() {
        return root.resolve("runtime-app").resolve("target").resolve("flowfleet-app.jar");
    }

    public Path workerJar() {
        return root.resolve("runtime-worker").resolve("target").resolve("flowfleet-worker.jar");
    }

    public Path flowFile() {
        return root.resolve("examples").resolve("flows").resolve("seed-benchmark.json");
    }

    /** Where the platform keeps its data and logs during the run (under target/, recreated each run). */
    public Path dataDirectory() {
        return root.resolve("bench").resolve("target").resolve(smoke ? "smoke-run" : "bench-run");
    }

    public BenchOptions withOutputDirectory(Path directory) {
        return new BenchOptions(root, workers, workerConcurrency, warmupCalls, warmupTime, warmCalls, coldFlows, loadWarmup,
                loadDuration, workerStart, budget, directory, profile, smoke, optimizingJs);
    }

    /** Parses the command line on top of the defaults (or of the smoke settings with --smoke). */
    public static BenchOptions parse(Path root, String[] args) {
        boolean smoke = java.util.Arrays.asList(args).contains("--smoke");
        BenchOptions o = smoke ? smoke(root) : defaults(root);
        int workers = o.workers, concurrency = o.workerConcurrency, warmCalls = o.warmCalls, coldFlows = o.coldFlows;
        Duration loadDuration = o.loadDuration, budget = o.budget, warmupTime = o.warmupTime;
        Path out = o.outputDirectory;
        boolean profile = false;
        boolean optimizingJs = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "--smoke" -> { }
                case "--profile" -> profile = true;
                case "--optimizing-js" -> optimizingJs = true;
                case "--workers" -> workers = number(args, ++i, arg);
                case "--worker-concurrency" -> concurrency = number(args, ++i, arg);
                case "--warm-calls" -> warmCalls = number(args, ++i, arg);
                case "--warmup-seconds" -> warmupTime = Duration.ofSeconds(number(args, ++i, arg));
                case "--cold-flows" -> coldFlows = number(args, ++i, arg);
                case "--load-seconds" -> loadDuration = Duration.ofSeconds(number(args, ++i, arg));
                case "--budget-seconds" -> budget = Duration.ofSeconds(number(args, ++i, arg));
                case "--out" -> out = Path.of(value(args, ++i, arg));
                default -> throw new IllegalArgumentException("unknown argument: " + arg);
            }
        }
        return new BenchOptions(root, workers, concurrency, o.warmupCalls, warmupTime, warmCalls, coldFlows, o.loadWarmup,
                loadDuration, o.workerStart, budget, out, profile, smoke, optimizingJs);
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static int number(String[] args, int index, String option) {
        String value = value(args, index, option);
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < 0) {
                throw new IllegalArgumentException(option + " must not be negative: " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, not " + value);
        }
    }
}
