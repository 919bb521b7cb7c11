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
 */
public final class RuntimeProcess implements AutoCloseable {

    public static final Duration DEFAULT_STOP_TIMEOUT = Duration.ofSeconds(30);
    private static final int LOG_TAIL_BYTES = 6_000;

    private final String name;
    private final Process process;
    private final int port;
    private final Path logFile;
    private final StopOnExit stopOnExit;

    private RuntimeProcess(String name, Process process, int port, Path logFile) {
        this.name = name;
        this.process = process;
        this.port = port;
        this.logFile = logFile;
        this.stopOnExit = StopOnExit.register(name, () -> terminate(DEFAULT_STOP_TIMEOUT));
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

    /** {@code http://127.0.0.1:PORT/}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + port + "/");
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
        terminate(timeout);
        stopOnExit.run();
        return process.exitValue();
    }

    /** SIGKILL: no graceful shutdown, as when a pod is killed; returns once the process is gone. */
    public int kill() {
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

        /** Where stdout and stderr go (default: a new file in the temporary directory). */
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
            String processName = name != null ? name : jar.getFileName().toString().replaceFirst("\\.jar$", "");
            int serverPort = port != null ? port : FreePort.pick();
            try {
                Path log = logFile != null ? logFile : Files.createTempFile(processName + "-", ".log");
                if (log.getParent() != null) {
                    Files.createDirectories(log.getParent());
                }
                List<String> command = new ArrayList<>();
                command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
                command.addAll(jvmArgs);
                command.add("-jar");
                command.add(jar.toAbsolutePath().toString());
                command.addAll(args);
                ProcessBuilder builder = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.to(log.toFile()))
                        .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
                builder.environment().putAll(env);
                builder.environment().put("SERVER_PORT", Integer.toString(serverPort));
                return new RuntimeProcess(processName, builder.start(), serverPort, log);
            } catch (IOException e) {
                throw new UncheckedIOException("could not launch " + jar, e);
            }
        }
    }
}
