package io.flowfleet.core.config;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The runtime's settings, read from the AP_* environment of app and worker pods
 * (docs/architecture.md, docs/runtime.md). Every value has a default except the connection settings;
 * {@link #from(Function)} reports every bad value at once in a {@link ConfigException}.
 */
public record RuntimeConfig(
        String postgresUrl,
        String postgresUsername,
        String postgresPassword,
        int postgresPoolSize,
        String redisUrl,
        String s3Bucket,
        URI s3Endpoint,
        String s3AccessKeyId,
        String s3SecretAccessKey,
        String s3Region,
        boolean s3UseSignedUrls,
        String fileStorageLocation,
        String apiKey,
        int workerConcurrency,
        boolean reuseSandbox,
        ExecutionMode executionMode,
        Duration flowTimeout,
        Duration webhookTimeout,
        long maxWebhookPayloadBytes,
        long maxFileSizeBytes,
        long maxFlowRunLogSizeBytes,
        String queueName,
        QueueRoutes queueRoutes,
        String workerId,
        Duration runLease,
        int maxRunAttempts) {

    private static final long MB = 1024L * 1024L;

    /** Reads the process environment. */
    public static RuntimeConfig fromEnv() {
        return from(System.getenv()::get);
    }

    public static RuntimeConfig from(Map<String, String> values) {
        return from(values::get);
    }

    /** Reads every setting through {@code lookup} (an environment, or Spring's Environment). */
    public static RuntimeConfig from(Function<String, String> lookup) {
        Reader r = new Reader(lookup);
        RuntimeConfig config = new RuntimeConfig(
                r.required("AP_POSTGRES_URL", v -> {
                    if (!v.startsWith("jdbc:postgresql:")) throw new IllegalArgumentException("must start with jdbc:postgresql:");
                    return v;
                }),
                r.string("AP_POSTGRES_USERNAME", "postgres"),
                r.string("AP_POSTGRES_PASSWORD", ""),
                r.intIn("AP_POSTGRES_POOL_SIZE", 10, 1, 200),
                r.required("AP_REDIS_URL", v -> {
                    if (!v.startsWith("redis://") && !v.startsWith("rediss://")) throw new IllegalArgumentException("must start with redis:// or rediss://");
                    URI.create(v);
                    return v;
                }),
                r.required("AP_S3_BUCKET", v -> v),
                r.optional("AP_S3_ENDPOINT", v -> {
                    URI uri = URI.create(v);
                    if (uri.getScheme() == null || uri.getHost() == null) throw new IllegalArgumentException("must be an absolute http(s) URL");
                    return uri;
                }),
                r.string("AP_S3_ACCESS_KEY_ID", null),
                r.string("AP_S3_SECRET_ACCESS_KEY", null),
                r.string("AP_S3_REGION", "us-east-1"),
                r.bool("AP_S3_USE_SIGNED_URLS", true),
                r.oneOf("AP_FILE_STORAGE_LOCATION", "S3", "S3"),
                r.string("AP_API_KEY", null),
                r.intIn("AP_WORKER_CONCURRENCY", 1, 1, 1024),
                r.bool("AP_REUSE_SANDBOX", true),
                r.enumValue("AP_EXECUTION_MODE", ExecutionMode.class, ExecutionMode.SANDBOX_CODE_ONLY),
                Duration.ofSeconds(r.intIn("AP_FLOW_TIMEOUT_SECONDS", 600, 1, 86_400)),
                Duration.ofSeconds(r.intIn("AP_WEBHOOK_TIMEOUT_SECONDS", 30, 1, 3_600)),
                r.intIn("AP_MAX_WEBHOOK_PAYLOAD_SIZE_MB", 25, 1, 1024) * MB,
                r.intIn("AP_MAX_FILE_SIZE_MB", 25, 1, 1024) * MB,
                r.intIn("AP_MAX_FLOW_RUN_LOG_SIZE_MB", 50, 1, 4096) * MB,
                r.optional("AP_QUEUE_NAME", RuntimeConfig::queueName, QueueRoutes.DEFAULT_QUEUE),
                r.optional("AP_QUEUE_ROUTES", QueueRoutes::parse, QueueRoutes.none()),
                r.optional("AP_WORKER_ID", v -> v, defaultWorkerId(lookup)),
                Duration.ofSeconds(r.intIn("AP_RUN_LEASE_SECONDS", 10, 1, 3_600)),
                r.intIn("AP_RUN_MAX_ATTEMPTS", 3, 1, 100));
        r.throwIfInvalid();
        return config;
    }

    private static String queueName(String v) {
        if (!QueueRoutes.NAME.matcher(v).matches()) throw new IllegalArgumentException("must match " + QueueRoutes.NAME.pattern());
        return v;
    }

    private static String defaultWorkerId(Function<String, String> lookup) {
        String host = lookup.apply("HOSTNAME");
        if (host == null || host.isBlank()) host = "worker";
        return host + "-" + ProcessHandle.current().pid();
    }

    @Override
    public String toString() {
        // Secrets stay out of logs.
        return "RuntimeConfig[postgresUrl=" + postgresUrl + ", redisUrl=" + redisUrl.replaceAll("//[^@/]*@", "//***@")
                + ", s3Bucket=" + s3Bucket + ", s3Endpoint=" + s3Endpoint + ", s3Region=" + s3Region
                + ", workerConcurrency=" + workerConcurrency + ", reuseSandbox=" + reuseSandbox
                + ", executionMode=" + executionMode + ", queueName=" + queueName + ", queueRoutes=" + queueRoutes.projectToQueue()
                + ", flowTimeout=" + flowTimeout + ", webhookTimeout=" + webhookTimeout + ", runLease=" + runLease + "]";
    }

    /** Collects problems instead of stopping at the first one. */
    private static final class Reader {
        private final Function<String, String> lookup;
        private final List<String> problems = new ArrayList<>();

        Reader(Function<String, String> lookup) {
            this.lookup = lookup;
        }

        private String raw(String key) {
            String v = lookup.apply(key);
            return v == null || v.isBlank() ? null : v.trim();
        }

        String string(String key, String fallback) {
            String v = raw(key);
            return v == null ? fallback : v;
        }

        <T> T required(String key, Function<String, T> parse) {
            String v = raw(key);
            if (v == null) {
                problems.add(key + " is required");
                return null;
            }
            return parse(key, v, parse, null);
        }

        <T> T optional(String key, Function<String, T> parse) {
            return optional(key, parse, null);
        }

        <T> T optional(String key, Function<String, T> parse, T fallback) {
            String v = raw(key);
            return v == null ? fallback : parse(key, v, parse, fallback);
        }

        private <T> T parse(String key, String v, Function<String, T> parse, T fallback) {
            try {
                return parse.apply(v);
            } catch (RuntimeException e) {
                problems.add(key + "='" + v + "': " + e.getMessage());
                return fallback;
            }
        }

        int intIn(String key, int fallback, int min, int max) {
            return optional(key, v -> {
                int n;
                try {
                    n = Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("must be a whole number");
                }
                if (n < min || n > max) throw new IllegalArgumentException("must be between " + min + " and " + max);
                return n;
            }, fallback);
        }

        boolean bool(String key, boolean fallback) {
            return optional(key, v -> switch (v.toLowerCase(Locale.ROOT)) {
                case "true" -> true;
                case "false" -> false;
                default -> throw new IllegalArgumentException("must be true or false");
            }, fallback);
        }

        String oneOf(String key, String fallback, String... allowed) {
            return optional(key, v -> {
                for (String a : allowed) if (a.equalsIgnoreCase(v)) return a;
                throw new IllegalArgumentException("must be one of " + String.join(", ", allowed));
            }, fallback);
        }

        <E extends Enum<E>> E enumValue(String key, Class<E> type, E fallback) {
            return optional(key, v -> {
                try {
                    return Enum.valueOf(type, v.toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    List<String> names = new ArrayList<>();
                    for (E c : type.getEnumConstants()) names.add(c.name());
                    throw new IllegalArgumentException("must be one of " + String.join(", ", names));
                }
            }, fallback);
        }

        void throwIfInvalid() {
            if (!problems.isEmpty()) throw new ConfigException(problems);
        }
    }
}
