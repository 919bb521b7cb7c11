package io.flowfleet.local;

import java.io.PrintStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** Arguments and console output of {@code ./flowfleet local} ({@link LocalPlatform#main}). */
record LocalPlatformCommand(Path dataDirectory, int workers, Integer port, Path flow, String bindAddress, boolean help) {

    static final String USAGE = """
            Usage: ./flowfleet local [--workers N] [--port PORT] [--bind ADDRESS] [--data-dir DIR] [--flow FILE]
              Starts Postgres, Redis and an S3-compatible store (embedded, on loopback), the app and
              N workers (default 1), publishes FILE (default examples/flows/seed-benchmark.json) and
              prints the curl line that calls it. App and workers listen on ADDRESS (default 127.0.0.1;
              0.0.0.0 for every interface) and are restarted when they die. Data and the API key stay
              in DIR (default .flowfleet). Ctrl-C stops all.""";

    static LocalPlatformCommand parse(String[] args) {
        Path dataDirectory = LocalPlatform.DEFAULT_DATA_DIRECTORY;
        int workers = 1;
        Integer port = null;
        Path flow = LocalPlatform.DEFAULT_FLOW;
        String bindAddress = RuntimeProcess.DEFAULT_BIND_ADDRESS;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "-h", "--help" -> help = true;
                case "--workers" -> workers = positiveInt(arg, value(args, ++i, arg), 0);
                case "--port" -> port = positiveInt(arg, value(args, ++i, arg), 1);
                case "--data-dir" -> dataDirectory = Path.of(value(args, ++i, arg));
                case "--flow" -> flow = Path.of(value(args, ++i, arg));
                case "--bind" -> bindAddress = address(value(args, ++i, arg));
                default -> throw new IllegalArgumentException("unknown argument: " + arg);
            }
        }
        if (!help && !Files.isRegularFile(flow)) {
            throw new IllegalArgumentException("flow file " + flow.toAbsolutePath() + " does not exist");
        }
        return new LocalPlatformCommand(dataDirectory, workers, port, flow, bindAddress, help);
    }

    /**
     * Runs until Ctrl-C (or SIGTERM): the shutdown hook then stops everything, one line per
     * component. An app or worker that dies meanwhile is restarted (one line each).
     */
    int run(PrintStream out) throws InterruptedException {
        out.println("Starting Postgres, Redis, S3, the app and " + workers + " worker(s); data in "
                + dataDirectory.toAbsolutePath() + " ...");
        LocalPlatform.Builder builder = LocalPlatform.builder().dataDirectory(dataDirectory).workers(workers)
                .bindAddress(bindAddress);
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
        platform.awaitClosed();
        return 0;
    }

    private void printRunning(PrintStream out, LocalPlatform platform, String flowId,
                              HttpResponse<String> firstCall, long firstCallMillis) {
        DevServices services = platform.services();
        out.println();
        out.println("Flowfleet is running.");
        RuntimeProcess app = platform.app();
        out.println("  app        " + app.baseUri() + "  (pid " + app.pid() + ", log " + app.logFile()
                + (app.bindAddress().equals(RuntimeProcess.DEFAULT_BIND_ADDRESS) ? "" : ", listening on " + app.bindAddress()) + ")");
        for (RuntimeProcess worker : platform.workers()) {
            out.println("  " + String.format("%-10s", worker.name()) + " pid " + worker.pid() + ", port " + worker.port() + ", log " + worker.logFile());
        }
        out.println("  postgres   " + services.postgres().jdbcUrl() + "  (user " + services.postgres().username()
                + ", password " + services.postgres().password() + ", pid " + pidText(services.postgres().pid()) + ")");
        out.println("  redis      " + services.redis().uri() + "  (pid " + pidText(services.redis().pid()) + ")");
        out.println("  s3         " + services.s3().endpoint() + "  bucket " + services.s3().bucket() + "  (pid "
                + services.s3().pid() + ")");
        out.println("  API key    " + platform.apiKey() + "  (header X-API-Key; kept in "
                + ApiKeyFile.of(platform.dataDirectory()) + ", mode 0600)");
        out.println();
        out.println("Flow " + flow + " is published as " + flowId + "; its first call answered "
                + firstCall.statusCode() + " " + firstCall.body().strip() + " in " + firstCallMillis + " ms.");
        out.println("Call it:");
        out.println();
        out.println("  curl -s -X POST " + platform.api().syncWebhook(flowId)
                + " -H 'content-type: application/json' -d '{}'");
        out.println();
        out.println("Its runs, through the management API (it needs the key):");
        out.println();
        out.println("  curl -s '" + app.baseUri().resolve("api/v1/flows/" + flowId + "/runs?limit=5")
                + "' -H 'X-API-Key: " + platform.apiKey() + "'");
        out.println();
        out.println("Press Ctrl-C to stop everything.");
        out.flush();
    }

    private static String pidText(java.util.OptionalLong pid) {
        return pid.isPresent() ? Long.toString(pid.getAsLong()) : "?";
    }

    private static String address(String value) {
        try {
            return java.net.InetAddress.ofLiteral(value).getHostAddress();
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--bind needs an IP address (127.0.0.1, 0.0.0.0, ...), not " + value);
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
