package io.flowfleet.local;

import io.flowfleet.contract.RuntimeSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.stream.Stream;

/**
 * Real Postgres, Redis and S3-compatible servers on free loopback ports, started from Maven
 * artifacts (nothing pre-installed), for tests, the local platform and the benchmark.
 *
 * <pre>{@code
 * try (DevServices services = DevServices.start(tempDir)) {
 *     Map<String, String> env = services.runtimeEnv();   // AP_* variables for app and worker
 * }
 * }</pre>
 *
 * <p>{@link #close()} stops every server it started; a shutdown hook does the same when the JVM
 * exits first (Ctrl-C, System.exit).
 */
public final class DevServices implements AutoCloseable {

    public static final String DEFAULT_BUCKET = "flowfleet";

    private final LocalPostgres postgres;
    private final LocalRedis redis;
    private final LocalS3 s3;
    private final String apiKey;
    private final Path dataDirectory;
    private final boolean deleteOnClose;
    private final StopOnExit stopOnExit;

    private DevServices(LocalPostgres postgres, LocalRedis redis, LocalS3 s3, String apiKey,
                        Path dataDirectory, boolean deleteOnClose) {
        this.postgres = postgres;
        this.redis = redis;
        this.s3 = s3;
        this.apiKey = apiKey;
        this.dataDirectory = dataDirectory;
        this.deleteOnClose = deleteOnClose;
        this.stopOnExit = StopOnExit.register("dev-services", this::stopServers);
    }

    /** Starts all three servers with their data under {@code dataDirectory} (kept after close). */
    public static DevServices start(Path dataDirectory) {
        return builder().dataDirectory(dataDirectory).start();
    }

    /** Starts all three servers in a temporary directory that close() deletes. */
    public static DevServices startTemporary() {
        return builder().start();
    }

    public static Builder builder() {
        return new Builder();
    }

    public LocalPostgres postgres() {
        return postgres;
    }

    public LocalRedis redis() {
        return redis;
    }

    public LocalS3 s3() {
        return s3;
    }

    /**
     * The management API key (AP_API_KEY) that app processes started with {@link #runtimeEnv()}
     * accept: the one given to the builder, else the data directory's own ({@link ApiKeyFile}).
     */
    public String apiKey() {
        return apiKey;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** The connection variables of the runtime contract (docs/runtime.md), for app and worker processes. */
    public Map<String, String> runtimeEnv() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put(RuntimeSettings.ENV_VAR_POSTGRES_URL, postgres.jdbcUrl());
        env.put(RuntimeSettings.ENV_VAR_POSTGRES_USERNAME, postgres.username());
        env.put(RuntimeSettings.ENV_VAR_POSTGRES_PASSWORD, postgres.password());
        env.put(RuntimeSettings.ENV_VAR_REDIS_URL, redis.uri());
        env.put(RuntimeSettings.ENV_VAR_S3_BUCKET, s3.bucket());
        env.put(RuntimeSettings.ENV_VAR_S3_ENDPOINT, s3.endpoint().toString());
        env.put(RuntimeSettings.ENV_VAR_S3_ACCESS_KEY_ID, s3.accessKeyId());
        env.put(RuntimeSettings.ENV_VAR_S3_SECRET_ACCESS_KEY, s3.secretAccessKey());
        env.put(RuntimeSettings.ENV_VAR_S3_REGION, s3.region());
        env.put(RuntimeSettings.ENV_VAR_API_KEY, apiKey);
        env.put(RuntimeSettings.ENV_VAR_S3_USE_SIGNED_URLS, "true");
        return env;
    }

    @Override
    public void close() {
        stopOnExit.run();
    }

    private void stopServers() {
        RuntimeException failure = null;
        for (AutoCloseable server : new AutoCloseable[] {s3, redis, postgres}) {
            try {
                server.close();
            } catch (Exception e) {
                if (failure == null) {
                    failure = new IllegalStateException("a dev service did not stop cleanly", e);
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        if (deleteOnClose) {
            deleteRecursively(dataDirectory);
        }
        if (failure != null) {
            throw failure;
        }
    }

    static void deleteRecursively(Path directory) {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not delete " + directory, e);
        }
    }

    /** Options for {@link DevServices}. */
    public static final class Builder {
        private Path dataDirectory;
        private String bucket = DEFAULT_BUCKET;
        private String apiKey;

        private Builder() {
        }

        /** Where the servers keep their data (postgres/, redis/, s3/); default a temporary directory deleted on close. */
        public Builder dataDirectory(Path dataDirectory) {
            this.dataDirectory = dataDirectory;
            return this;
        }

        public Builder bucket(String bucket) {
            this.bucket = bucket;
            return this;
        }

        /** The API key (default: generated once per data directory, see {@link ApiKeyFile}). */
        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        /** Starts the three servers (in parallel); stops those already started when one fails. */
        public DevServices start() {
            boolean temporary = dataDirectory == null;
            Path root;
            try {
                root = temporary ? Files.createTempDirectory("flowfleet-dev-") : Files.createDirectories(dataDirectory);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create the data directory", e);
            }
            String key = apiKey != null ? apiKey : ApiKeyFile.loadOrCreate(root);
            // s3proxy's JVM start dominates; Postgres and Redis start meanwhile.
            CompletableFuture<LocalS3> s3Start = CompletableFuture.supplyAsync(
                    () -> LocalS3.start(root.resolve("s3"), bucket));
            List<AutoCloseable> started = new ArrayList<>();
            try {
                LocalPostgres postgres = LocalPostgres.start(root.resolve("postgres"));
                started.add(postgres);
                LocalRedis redis = LocalRedis.start(root.resolve("redis"));
                started.add(redis);
                LocalS3 s3 = s3Start.join();
                return new DevServices(postgres, redis, s3, key, root, temporary);
            } catch (RuntimeException e) {
                RuntimeException failure = e instanceof CompletionException && e.getCause() instanceof RuntimeException cause
                        ? cause : e;
                LocalS3 s3 = s3Start.handle((server, error) -> server).join();
                if (s3 != null) {
                    started.add(s3);
                }
                for (AutoCloseable server : started.reversed()) {
                    try {
                        server.close();
                    } catch (Exception suppressed) {
                        failure.addSuppressed(suppressed);
                    }
                }
                if (temporary) {
                    deleteRecursively(root);
                }
                throw failure;
            }
        }
    }
}
