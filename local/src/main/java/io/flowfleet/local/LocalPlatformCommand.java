package io.flowfleet.local;

import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Arguments and console output of {@code ./flowfleet local} ({@link LocalPlatform#main}). */
record LocalPlatformCommand(Path dataDirectory, int workers, Integer port, Path flow, boolean help) {

    static final String USAGE = """
            Usage: ./flowfleet local [--workers N] [--port PORT] [--data-dir DIR] [--flow FILE]
              Starts Postgres, Redis and an S3-compatible store (embedded, on loopback), the app and
              N workers (default 1), publishes FILE (default examples/flows/seed-benchmark.json) and
              prints the curl line that calls it. Data stays in DIR (default .flowfleet). Ctrl-C stops all.""";

    static LocalPlatformCommand parse(String[] args) {
        Path dataDirectory = LocalPlatform.DEFAULT_DATA_DIRECTORY;
        int workers = 1;
        Integer port = null;
        Path flow = LocalPlatform.DEFAULT_FLOW;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-h", "--help" -> help = true;
                case "--workers" -> workers = positiveInt(arg, value(args, ++i, arg), 0);
                case "--port" -> port = positiveInt(arg, value(args, ++i, arg), 1);
                case "--data-dir" -> dataDirectory = Path.of(value(args, ++i, arg));
                case "--flow" -> flow = Path.of(value(args, ++i, arg));
                default -> throw new IllegalArgumentException("unknown argument: " + arg);
            }
        }
        if (!help && !Files.isRegularFile(flow)) {
            throw new IllegalArgumentException("flow file " + flow.toAbsolutePath() + " does not exist");
        }
        return new LocalPlatformCommand(dataDirectory, workers, port, flow, help);
    }

    /** Runs until Ctrl-C (then the shutdown hook stops everything) or until app or a worker dies (exit 1). */
    int run(PrintStream out) throws InterruptedException {
        out.println("Starting Postgres, Redis, S3, the app and " + workers + " worker(s); data in "
                + dataDirectory.toAbsolutePath() + " ...");
        LocalPlatform.Builder builder = LocalPlatform.builder().dataDirectory(dataDirectory).workers(workers);
        if (port != null) {
            builder.appPort(port);
        }
        LocalPlatform platform;
        try {
            platform = builder.start();
        } catch (RuntimeException e) {
            System.err.println("Flowfleet did not start: " + e.getMessage());
            return 1;
        }
        String flowId;
        HttpResponse<String> firstCall;
        long firstCallMillis;
        try {
            flowId = platform.publish(flow);
            long started = System.nanoTime();
            firstCall = platform.api().callSync(flowId, "{}");
            firstCallMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();
        } catch (RuntimeException e) {
            System.err.println("Publishing or calling " + flow + " failed: " + e.getMessage());
            platform.close();
            return 1;
        }
        printRunning(out, platform, flowId, firstCall, firstCallMillis);
        return watch(platform);
    }

    private void printRunning(PrintStream out, LocalPlatform platform, String flowId,
                              HttpResponse<String> firstCall, long firstCallMillis) {
        DevServices services = platform.services();
        out.println();
        out.println("Flowfleet is running.");
        out.println("  app        " + platform.app().baseUri() + "  (pid " + platform.app().pid() + ", log "
                + platform.app().logFile() + ")");
        for (RuntimeProcess worker : platform.workers()) {
            out.println("  " + String.format("%-10s", worker.name()) + " pid " + worker.pid() + ", log " + worker.logFile());
        }
        out.println("  postgres   " + services.postgres().jdbcUrl() + "  (user " + services.postgres().username()
                + ", password " + services.postgres().password() + ")");
        out.println("  redis      " + services.redis().uri());
        out.println("  s3         " + services.s3().endpoint() + "  bucket " + services.s3().bucket());
        out.println("  API key    " + services.apiKey() + "  (header X-API-Key)");
        out.println();
        out.println("Flow " + flow + " is published as " + flowId + "; its first call answered "
                + firstCall.statusCode() + " " + firstCall.body().strip() + " in " + firstCallMillis + " ms.");
        out.println("Call it:");
        out.println();
        out.println("  curl -s -X POST " + platform.api().syncWebhook(flowId)
                + " -H 'content-type: application/json' -d '{}'");
        out.println();
        out.println("Press Ctrl-C to stop everything.");
        out.flush();
    }

    private static int watch(LocalPlatform platform) throws InterruptedException {
        while (true) {
            List<RuntimeProcess> processes = new java.util.ArrayList<>(platform.workers());
            processes.addFirst(platform.app());
            for (RuntimeProcess process : processes) {
                if (!process.isAlive()) {
                    System.err.println(process.name() + " exited; last lines of " + process.logFile() + ":\n"
                            + process.logTail());
                    platform.close();
                    return 1;
                }
            }
            Thread.sleep(1_000);
        }
    }

    private static String value(String[] args, int index, String option) {
        if (index >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[index];
    }

    private static int positiveInt(String option, String value, int minimum) {
        try {
            int parsed = Integer.parseInt(value);
            if (parsed < minimum) {
                throw new IllegalArgumentException(option + " must be at least " + minimum + ", not " + value);
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(option + " needs a whole number, not " + value);
        }
    }
}
