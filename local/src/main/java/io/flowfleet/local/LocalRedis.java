package io.flowfleet.local;

import redis.embedded.RedisServer;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;

/**
 * A real Redis server (6.2, the binary bundled in embedded-redis) on a free loopback port, its
 * snapshot file in a directory of its own.
 *
 * <p>embedded-redis only extracts the binary and writes its configuration; this class runs it, in a
 * session of its own (a terminal's Ctrl-C reaches the JVM that started it, which stops Redis after
 * the app and workers that use it), and can crash and restart it on the same port for fault
 * injection ({@link #crash()}, {@link #restart()}).
 */
public final class LocalRedis implements AutoCloseable {

    private static final Path SETSID = Path.of("/usr/bin/setsid");
    private static final long START_TIMEOUT_MILLIS = 20_000;

    private final List<String> command;
    private final int port;
    private final Path dataDirectory;
    private final StopOnExit stopOnExit;
    private volatile Process process;

    private LocalRedis(List<String> command, int port, Path dataDirectory) {
        this.command = command;
        this.port = port;
        this.dataDirectory = dataDirectory;
        this.stopOnExit = StopOnExit.register("redis", this::stop);
    }

    /** Starts a server that keeps its snapshot ({@code dump.rdb}) in {@code dataDirectory}. */
    public static LocalRedis start(Path dataDirectory) {
        int port = FreePort.pick();
        try {
            Files.createDirectories(dataDirectory);
            Path pidFile = dataDirectory.toAbsolutePath().resolve("redis.pid");
            StaleProcesses.stop(pidFile, "redis-server");
            List<String> command = new ArrayList<>();
            if (Files.isExecutable(SETSID)) {
                command.add(SETSID.toString());
            }
            command.addAll(RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("dir " + dataDirectory.toAbsolutePath())
                    // Lets a later start stop a server left behind by a killed JVM.
                    .setting("pidfile " + pidFile)
                    .setting("protected-mode yes")
                    .buildCommandArgs());
            LocalRedis redis = new LocalRedis(List.copyOf(command), port, dataDirectory);
            try {
                redis.launch();
            } catch (RuntimeException e) {
                redis.close();
                throw e;
            }
            return redis;
        } catch (IOException e) {
            throw new UncheckedIOException("Redis did not start on port " + port, e);
        }
    }

    public String host() {
        return "127.0.0.1";
    }

    public int port() {
        return port;
    }

    /** {@code redis://127.0.0.1:PORT}, the form of AP_REDIS_URL. */
    public String uri() {
        return "redis://" + host() + ":" + port;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** The snapshot file Redis loads at start and writes on SAVE. */
    public Path snapshotFile() {
        return dataDirectory.resolve("dump.rdb");
    }

    /** The server's version, as {@code INFO server} reports it (e.g. 6.2.6). */
    public String serverVersion() {
        try {
            return RespClient.call(host(), port, "INFO", "server").lines()
                    .filter(line -> line.startsWith("redis_version:"))
                    .map(line -> line.substring("redis_version:".length()).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** Process id of the server, for CPU accounting and signals. */
    public OptionalLong pid() {
        Process running = process;
        return running == null || !running.isAlive() ? OptionalLong.empty() : OptionalLong.of(running.pid());
    }

    public boolean isAlive() {
        Process running = process;
        return running != null && running.isAlive();
    }

    /** Sends one command (e.g. SAVE, DBSIZE) and returns its simple or bulk string reply. */
    public String call(String... command) throws IOException {
        return RespClient.call(host(), port, command);
    }

    /** SIGKILL, as a crash: nothing is saved; returns once the process is gone. */
    public void crash() {
        Process running = process;
        if (running != null) {
            running.destroyForcibly();
            waitFor(running, 10);
        }
    }

    /** Starts the server again on the same port and directory (it loads {@code dump.rdb} if present). */
    public void restart() {
        if (isAlive()) {
            throw new IllegalStateException("Redis (pid " + process.pid() + ") is still running");
        }
        launch();
    }

    @Override
    public void close() {
        stopOnExit.run();
    }

    private void launch() {
        try {
            Process started = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(dataDirectory.resolve("redis.log").toFile()))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .start();
            process = started;
            long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
            while (true) {
                if (!started.isAlive()) {
                    throw new IllegalStateException("Redis exited with status " + started.exitValue() + " while starting; log "
                            + dataDirectory.resolve("redis.log") + ":\n" + LogTail.of(dataDirectory.resolve("redis.log"), 3000));
                }
                try {
                    if ("PONG".equals(RespClient.call(host(), port, "PING"))) {
                        return;
                    }
                } catch (IOException notYet) {
                    // still starting, or still loading its snapshot
                }
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("Redis did not answer PING on port " + port + " within "
                            + START_TIMEOUT_MILLIS / 1000 + " s");
                }
                Thread.sleep(20);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not launch Redis", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting Redis", e);
        }
    }

    /** SIGTERM (Redis saves its snapshot and exits), then waits; SIGKILL after 10 s. */
    private void stop() {
        Process running = process;
        if (running == null || !running.isAlive()) {
            return;
        }
        running.destroy();
        if (!waitFor(running, 10)) {
            running.destroyForcibly();
            waitFor(running, 10);
        }
    }

    private static boolean waitFor(Process process, int seconds) {
        try {
            return process.waitFor(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
