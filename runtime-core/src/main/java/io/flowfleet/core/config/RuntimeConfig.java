package io.flowfleet.core.config;

import io.flowfleet.contract.ParsedSettings;
import io.flowfleet.contract.RuntimeSettings;
import io.flowfleet.contract.Setting;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * The runtime's settings, read from the AP_* environment of app and worker pods through the contract
 * ({@link RuntimeSettings}: names, defaults, ranges, owners; docs/runtime.md). Every value has a default except the
 * connection settings; {@link #from(Function)} reports every bad value at once in a {@link ConfigException}.
 *
 * @param shutdownGrace     AP_SHUTDOWN_GRACE_SECONDS when set, else null: see {@link #appShutdownGrace()} and
 *                          {@link #workerShutdownGrace()}
 * @param sandboxJvmOptions AP_SANDBOX_JVM_OPTIONS split on blanks: JVM options of SANDBOX_PROCESS children
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
        int maxRunAttempts,
        Duration shutdownGrace,
        List<String> sandboxJvmOptions) {

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
        ParsedSettings s = RuntimeSettings.parse(lookup);
        RuntimeConfig config = new RuntimeConfig(
                s.string(RuntimeSettings.POSTGRES_URL),
                s.string(RuntimeSettings.POSTGRES_USERNAME),
                s.string(RuntimeSettings.POSTGRES_PASSWORD),
                s.integer(RuntimeSettings.POSTGRES_POOL_SIZE),
                s.string(RuntimeSettings.REDIS_URL),
                s.string(RuntimeSettings.S3_BUCKET),
                structured(s, RuntimeSettings.S3_ENDPOINT, v -> {
                    URI uri = URI.create(v);
                    if (uri.getScheme() == null || uri.getHost() == null) throw new IllegalArgumentException("must be an absolute http(s) URL");
                    return uri;
                }, null),
                s.string(RuntimeSettings.S3_ACCESS_KEY_ID),
                s.string(RuntimeSettings.S3_SECRET_ACCESS_KEY),
                s.string(RuntimeSettings.S3_REGION),
                s.bool(RuntimeSettings.S3_USE_SIGNED_URLS),
                s.string(RuntimeSettings.API_KEY),
                s.integer(RuntimeSettings.WORKER_CONCURRENCY),
                s.bool(RuntimeSettings.REUSE_SANDBOX),
                ExecutionMode.valueOf(s.string(RuntimeSettings.EXECUTION_MODE)),
                Duration.ofSeconds(s.integer(RuntimeSettings.FLOW_TIMEOUT_SECONDS)),
                Duration.ofSeconds(s.integer(RuntimeSettings.WEBHOOK_TIMEOUT_SECONDS)),
                s.integer(RuntimeSettings.MAX_WEBHOOK_PAYLOAD_SIZE_MB) * MB,
                s.integer(RuntimeSettings.MAX_FILE_SIZE_MB) * MB,
                s.integer(RuntimeSettings.MAX_FLOW_RUN_LOG_SIZE_MB) * MB,
                s.string(RuntimeSettings.QUEUE_NAME),
                structured(s, RuntimeSettings.QUEUE_ROUTES, QueueRoutes::parse, QueueRoutes.none()),
                s.isSet(RuntimeSettings.WORKER_ID) ? s.string(RuntimeSettings.WORKER_ID) : defaultWorkerId(lookup),
                Duration.ofSeconds(s.integer(RuntimeSettings.RUN_LEASE_SECONDS)),
                s.integer(RuntimeSettings.RUN_MAX_ATTEMPTS),
                s.isSet(RuntimeSettings.SHUTDOWN_GRACE_SECONDS) && valid(s, RuntimeSettings.SHUTDOWN_GRACE_SECONDS)
                        ? Duration.ofSeconds(s.integer(RuntimeSettings.SHUTDOWN_GRACE_SECONDS)) : null,
                List.of(s.string(RuntimeSettings.SANDBOX_JVM_OPTIONS).trim().split("\\s+")));
        if (!s.problems().isEmpty()) throw new ConfigException(s.problems());
        return config;
    }

    /**
     * App: how long held sync callers may finish after SIGTERM: AP_SHUTDOWN_GRACE_SECONDS, else the whole webhook
     * budget plus a margin to write the answer.
     */
    public Duration appShutdownGrace() {
        return shutdownGrace != null ? shutdownGrace
                : webhookTimeout.plusSeconds(RuntimeSettings.APP_SHUTDOWN_MARGIN_SECONDS);
    }

    /** Worker: how long held runs may finish after SIGTERM before they are handed back. */
    public Duration workerShutdownGrace() {
        return shutdownGrace != null ? shutdownGrace
                : Duration.ofSeconds(RuntimeSettings.WORKER_SHUTDOWN_GRACE_DEFAULT_SECONDS);
    }

    private static boolean valid(ParsedSettings s, Setting setting) {
        return s.problems().stream().noneMatch(p -> p.startsWith(setting.name() + "="));
    }

    /** A value whose structure the contract cannot check (a URL, the routes): parsed here, problems added to {@code s}. */
    private static <T> T structured(ParsedSettings s, Setting setting, Function<String, T> parse, T fallback) {
        String v = s.raw(setting);
        if (v == null || !valid(s, setting)) return fallback;
        try {
            return parse.apply(v);
        } catch (RuntimeException e) {
            s.addProblem(setting, e.getMessage());
            return fallback;
        }
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

}
