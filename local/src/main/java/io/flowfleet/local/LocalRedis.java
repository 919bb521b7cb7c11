package io.flowfleet.local;

import redis.embedded.RedisServer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * A real Redis server (6.2, the binary bundled in embedded-redis) on a free loopback port, its
 * snapshot file in a directory of its own.
 */
public final class LocalRedis implements AutoCloseable {

    private final RedisServer server;
    private final int port;
    private final Path dataDirectory;
    private final StopOnExit stopOnExit;

    private LocalRedis(RedisServer server, int port, Path dataDirectory) {
        this.server = server;
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
            RedisServer server = RedisServer.newRedisServer()
                    .port(port)
                    .bind("127.0.0.1")
                    .setting("dir " + dataDirectory.toAbsolutePath())
                    // Lets a later start stop a server left behind by a killed JVM.
                    .setting("pidfile " + pidFile)
                    .setting("protected-mode yes")
                    .build();
            server.start();
            LocalRedis redis = new LocalRedis(server, port, dataDirectory);
            String pong = RespClient.call(redis.host(), port, "PING");
            if (!"PONG".equals(pong)) {
                redis.close();
                throw new IllegalStateException("Redis on port " + port + " answered PING with " + pong);
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

    /** Process id of the server, as Redis itself reports it, for CPU accounting. */
    public OptionalLong pid() {
        try {
            String info = RespClient.call(host(), port, "INFO", "server");
            return info.lines()
                    .filter(line -> line.startsWith("process_id:"))
                    .mapToLong(line -> Long.parseLong(line.substring("process_id:".length()).trim()))
                    .findFirst();
        } catch (IOException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public void close() {
        stopOnExit.run();
    }

    private void stop() {
        OptionalLong pid = pid();
        try {
            server.stop();
            // stop() only signals the server: wait until it is gone, so close() means stopped.
            pid.stream().mapToObj(ProcessHandle::of).flatMap(java.util.Optional::stream)
                    .forEach(process -> process.onExit().completeOnTimeout(process, 10, java.util.concurrent.TimeUnit.SECONDS).join());
        } catch (IOException e) {
            throw new UncheckedIOException("Redis did not stop cleanly", e);
        }
    }
}
