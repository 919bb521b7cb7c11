package io.flowfleet.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * An app or worker jar ({@code runtime-app/target/flowfleet-app.jar},
 * {@code runtime-worker/target/flowfleet-worker.jar}) running as a child process on the Java that
 * runs this JVM, on a free loopback {@code SERVER_PORT}, its output in a log file.
 *
 * <pre>{@code
 * try (RuntimeProcess app = RuntimeProcess.builder(appJar).env(services.runtimeEnv())
 *         .logFile(dir.resolve("app.log")).start().awaitReady(Duration.ofSeconds(60))) {
 *     URI webhook = app.baseUri().resolve("/api/v1/webhooks/" + flowId + "/sync");
 * }
 * }</pre>
 *
 * <p>{@link #stop()} sends SIGTERM (graceful shutdown) and waits; {@link #kill()} sends SIGKILL.
 * A shutdown hook stops the process if this JVM exits first.
 *
 * <p>The process binds {@code SERVER_ADDRESS} (default 127.0.0.1: nothing listens beyond this
 * machine unless asked) and runs in a session of its own ({@code setsid}), so a terminal's Ctrl-C
 * reaches only the JVM that started it, which then stops its children in order (app before the
 * workers, workers before the Redis and Postgres they still talk to).
 */
public final class RuntimeProcess implements AutoCloseable {

    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);
    public static final String DEFAULT_BIND_ADDRESS = "127.0.0.1";
    private static final int LOG_TAIL_BYTES = 6_000;
    private static final Path SETSID = Path.of("/usr/bin/setsid");

    private final String name;
    private final Process process;
    private final int port;
    private final Path logFile;
    private final Builder launch;
    private final StopOnExit stopOnExit;
    private volatile boolean stopRequested;

    private RuntimeProcess(String name, Process process, int port, Path logFile, Builder launch, boolean relaunched) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.logFile = logFile;
        this.launch = launch;
        Runnable stop = () -> terminate(DEFAULT_STOP_TIMEOUT);
        // A relaunched process replaces one that its owner stops in order: stop it after the owner at exit.
        this.stopOnExit = relaunched ? StopOnExit.registerLast(name, stop) : StopOnExit.register(name, stop);
    }

    public static Builder builder(Path jar) {
        return new Builder(jar);
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public int port() {
        return port;
    }

    /** {@code http://127.0.0.1:PORT/} (or the bind address, when it is one particular address). */
    public URI baseUri() {
        return URI.create("http://" + connectHost(launch.bindAddress) + ":" + port + "/");
    }

    /** The address the process listens on ({@code SERVER_ADDRESS}). */
    public String bindAddress() {
        return launch.bindAddress;
    }

    public Path logFile() {
        return logFile;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public ProcessHandle handle() {
        return process.toHandle();
    }

    /** Completes when the process has exited. */
    public java.util.concurrent.CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** True once {@link #stop()}, {@link #kill()} or {@link #close()} was called: an exit that was asked for. */
    public boolean stopRequested() {
        return stopRequested;
    }

    /** The exit status (128 + N when signal N ended it); fails while the process runs. */
    public int exitValue() {
        return process.exitValue();
    }

    /** How the process ended, for one-line messages: {@code signal 9}, {@code status 1}. */
    public String exitDescription() {
        return describeExit(process.exitValue());
    }

    static String describeExit(int status) {
        return status > 128 && status < 160 ? "signal " + (status - 128) : "status " + status;
    }

    /**
     * Launches the same program again (same name, port, environment and log file, the log appended),
     * as a Deployment replaces a pod; the caller waits with {@link #awaitReady(Duration)}.
     */
    public RuntimeProcess relaunch() {
        if (process.isAlive()) {
            throw new IllegalStateException(name + " (pid " + pid() + ") is still running");
        }
        return launch.launch(port, true);
    }

    /** The last lines of the process's log. */
    public String logTail() {
        return LogTail.of(logFile, LOG_TAIL_BYTES);
    }

    /**
     * Waits until {@code /actuator/health/readiness} answers 200; fails at once, with the log's
     * tail, if the process exits, and with the log's tail at the timeout.
     */
    public RuntimeProcess awaitReady(Duration timeout) {
        URI readiness = baseUri().resolve("actuator/health/readiness");
        long deadline = System.nanoTime() + timeout.toNanos();
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build()) {
            HttpRequest request = HttpRequest.newBuilder(readiness).timeout(Duration.ofSeconds(5)).GET().build();
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException(name + " exited with status " + process.exitValue()
                            + " before it was ready; log " + logFile + ":\n" + logTail());
                }
                try {
                    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() == 200 && response.body().contains("UP")) {
                        return this;
                    }
                } catch (ConnectException | java.net.http.HttpTimeoutException notListeningYet) {
                    // still starting
                } catch (IOException e) {
                    // connection reset while the server starts: try again
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(name + " was not ready at " + readiness + " within "
                            + timeout.toSeconds() + " s; log " + logFile + ":\n" + logTail());
                }
                Thread.sleep(100);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
    }

    /** SIGTERM, then waits up to 30 s (SIGKILL after that); returns the exit status. */
    public int stop() {
        return stop(DEFAULT_STOP_TIMEOUT);
    }

    /** SIGTERM, then waits up to {@code timeout} (SIGKILL after that); returns the exit status. */
    public int stop(Duration timeout) {
        stopRequested = true;
        terminate(timeout);
        stopOnExit.run();
        return process.exitValue();
    }

    /** SIGKILL: no graceful shutdown, as when a pod is killed; returns once the process is gone. */
    public int kill() {
        stopRequested = true;
        process.destroyForcibly();
        awaitExit(Duration.ofSeconds(30));
        stopOnExit.run();
        return process.exitValue();
    }

    @Override
    public void close() {
        stop();
    }

    private void terminate(Duration timeout) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        if (!awaitExit(timeout)) {
            process.destroyForcibly();
            awaitExit(Duration.ofSeconds(30));
        }
    }

    private boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            return false;
        }
    }

    /** How to launch a {@link RuntimeProcess}. */
    public static final class Builder {
        private final Path jar;
        private final Map<String, String> env = new LinkedHashMap<>();
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private String name;
        private Integer port;
        private Path logFile;
        private String bindAddress = DEFAULT_BIND_ADDRESS;

        private Builder(Path jar) {
            this.jar = Objects.requireNonNull(jar, "jar");
        }

        /** Name in messages and of the default log file (default: the jar's name without .jar). */
        public Builder name(String name) {
            this.name = name;
            return this;
        }

        /** Adds environment variables (on top of this JVM's environment). */
        public Builder env(Map<String, String> variables) {
            env.putAll(variables);
            return this;
        }

        public Builder env(String key, String value) {
            env.put(key, value);
            return this;
        }

        /** JVM options, before {@code -jar}. */
        public Builder jvmArgs(List<String> options) {
            jvmArgs.addAll(options);
            return this;
        }

        /** Program arguments, after the jar. */
        public Builder args(List<String> arguments) {
            args.addAll(arguments);
            return this;
        }

        /** SERVER_PORT (default: a free loopback port). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /**
         * The address app or worker listens on, as Spring's {@code SERVER_ADDRESS} (default
         * 127.0.0.1; {@code 0.0.0.0} for every interface).
         */
        public Builder bindAddress(String bindAddress) {
            this.bindAddress = Objects.requireNonNull(bindAddress, "bindAddress");
            return this;
        }

        /** Where stdout and stderr go, appended (default: a new file in the temporary directory). */
        public Builder logFile(Path logFile) {
            this.logFile = logFile;
            return this;
        }

        /** Launches the process; call {@link RuntimeProcess#awaitReady(Duration)} to wait for it. */
        public RuntimeProcess start() {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalArgumentException(jar + " does not exist: build it first (./mvnw -q -B -pl "
                        + (jar.getFileName().toString().contains("worker") ? "runtime-worker" : "runtime-app")
                        + " -am package -DskipTests)");
            }
            if (name == null) {
                name = jar.getFileName().toString().replaceFirst("\\.jar$", "");
            }
            try {
                if (logFile == null) {
                    logFile = Files.createTempFile(name + "-", ".log");
                } else if (Files.exists(logFile)) {
                    Files.write(logFile, new byte[0]); // a new start, a new log; relaunches append to it
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create a log file for " + name, e);
            }
            return launch(port != null ? port : FreePort.pick(), false);
        }

        private RuntimeProcess launch(int serverPort, boolean relaunched) {
            try {
                if (logFile.getParent() != null) {
                    Files.createDirectories(logFile.getParent());
                }
                List<String> command = new ArrayList<>();
                if (Files.isExecutable(SETSID)) {
                    command.add(SETSID.toString());
                }
                command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                command.addAll(jvmArgs);
                command.add("-jar");
                command.add(jar.toAbsolutePath().toString());
                command.addAll(args);
                ProcessBuilder builder = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                builder.environment().putAll(env);
                builder.environment().put("SERVER_PORT", Integer.toString(serverPort));
                builder.environment().put("SERVER_ADDRESS", bindAddress);
                return new RuntimeProcess(name, builder.start(), serverPort, logFile, this, relaunched);
            } catch (IOException e) {
                throw new UncheckedIOException("could not launch " + jar, e);
            }
        }
    }

    /** Where a client connects to reach a process bound to {@code bindAddress}. */
    static String connectHost(String bindAddress) {
        return switch (bindAddress) {
            case "0.0.0.0", "::", "[::]", "*" -> "127.0.0.1";
            default -> bindAddress.contains(":") && !bindAddress.startsWith("[") ? "[" + bindAddress + "]" : bindAddress;
        };
    }
}
