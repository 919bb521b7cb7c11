package io.flowfleet.contract;

import static io.flowfleet.contract.Setting.Owner.OPERATOR_ONLY;
import static io.flowfleet.contract.Setting.Owner.SECRET;
import static io.flowfleet.contract.Setting.Owner.USER_OVERRIDABLE;
import static io.flowfleet.contract.Setting.Tier.APP;
import static io.flowfleet.contract.Setting.Tier.BOTH;
import static io.flowfleet.contract.Setting.Tier.WORKER;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The contract between the operator and the runtime: every AP_* variable of app and worker pods, declared once
 * (after Strimzi's ENV_VAR_* constants). The runtime parses its environment through {@link #parse}; the operator
 * names what it sets through these constants, takes its CRD maxima from the *_MAX constants, and refuses user env
 * that names a {@link Setting#reserved() reserved} setting. docs/runtime.md's variable table is checked against
 * {@link #all()}.
 */
public final class RuntimeSettings {

    public static final String PREFIX = "AP_";

    // The names, as constants (annotations, e.g. the CRD's descriptions, need compile-time constants).
    public static final String ENV_VAR_POSTGRES_URL = "AP_POSTGRES_URL";
    public static final String ENV_VAR_POSTGRES_USERNAME = "AP_POSTGRES_USERNAME";
    public static final String ENV_VAR_POSTGRES_PASSWORD = "AP_POSTGRES_PASSWORD";
    public static final String ENV_VAR_REDIS_URL = "AP_REDIS_URL";
    public static final String ENV_VAR_S3_BUCKET = "AP_S3_BUCKET";
    public static final String ENV_VAR_S3_ENDPOINT = "AP_S3_ENDPOINT";
    public static final String ENV_VAR_S3_ACCESS_KEY_ID = "AP_S3_ACCESS_KEY_ID";
    public static final String ENV_VAR_S3_SECRET_ACCESS_KEY = "AP_S3_SECRET_ACCESS_KEY";
    public static final String ENV_VAR_API_KEY = "AP_API_KEY";
    public static final String ENV_VAR_S3_REGION = "AP_S3_REGION";
    public static final String ENV_VAR_S3_USE_SIGNED_URLS = "AP_S3_USE_SIGNED_URLS";
    public static final String ENV_VAR_EXECUTION_MODE = "AP_EXECUTION_MODE";
    public static final String ENV_VAR_REUSE_SANDBOX = "AP_REUSE_SANDBOX";
    public static final String ENV_VAR_WORKER_CONCURRENCY = "AP_WORKER_CONCURRENCY";
    public static final String ENV_VAR_FLOW_TIMEOUT_SECONDS = "AP_FLOW_TIMEOUT_SECONDS";
    public static final String ENV_VAR_WEBHOOK_TIMEOUT_SECONDS = "AP_WEBHOOK_TIMEOUT_SECONDS";
    public static final String ENV_VAR_MAX_WEBHOOK_PAYLOAD_SIZE_MB = "AP_MAX_WEBHOOK_PAYLOAD_SIZE_MB";
    public static final String ENV_VAR_MAX_FILE_SIZE_MB = "AP_MAX_FILE_SIZE_MB";
    public static final String ENV_VAR_MAX_FLOW_RUN_LOG_SIZE_MB = "AP_MAX_FLOW_RUN_LOG_SIZE_MB";
    public static final String ENV_VAR_QUEUE_NAME = "AP_QUEUE_NAME";
    public static final String ENV_VAR_QUEUE_ROUTES = "AP_QUEUE_ROUTES";
    public static final String ENV_VAR_SHUTDOWN_GRACE_SECONDS = "AP_SHUTDOWN_GRACE_SECONDS";
    public static final String ENV_VAR_POSTGRES_POOL_SIZE = "AP_POSTGRES_POOL_SIZE";
    public static final String ENV_VAR_WORKER_ID = "AP_WORKER_ID";
    public static final String ENV_VAR_RUN_LEASE_SECONDS = "AP_RUN_LEASE_SECONDS";
    public static final String ENV_VAR_RUN_MAX_ATTEMPTS = "AP_RUN_MAX_ATTEMPTS";
    public static final String ENV_VAR_SANDBOX_JVM_OPTIONS = "AP_SANDBOX_JVM_OPTIONS";

    // Ranges as compile-time constants: the operator's CRD annotations (@Max) need constants.
    public static final int FLOW_TIMEOUT_SECONDS_MAX = 86_400;
    public static final int WEBHOOK_TIMEOUT_SECONDS_MAX = 3_600;
    public static final int MAX_WEBHOOK_PAYLOAD_SIZE_MB_MAX = 1_024;
    public static final int MAX_FILE_SIZE_MB_MAX = 1_024;
    public static final int MAX_FLOW_RUN_LOG_SIZE_MB_MAX = 4_096;
    public static final int WORKER_CONCURRENCY_MAX = 1_024;
    /** The longest shutdown grace: a worker may let a run finish its whole flow limit. */
    public static final int SHUTDOWN_GRACE_SECONDS_MAX = FLOW_TIMEOUT_SECONDS_MAX;

    /** App: held sync callers get the whole webhook budget plus this, to write their answer. */
    public static final int APP_SHUTDOWN_MARGIN_SECONDS = 5;
    /** Worker, when nothing sets AP_SHUTDOWN_GRACE_SECONDS (local runs): runs get this long, then are handed back. */
    public static final int WORKER_SHUTDOWN_GRACE_DEFAULT_SECONDS = 25;
    /**
     * After its shutdown grace a worker may still need this long before its JVM ends: finish a queue read (1 s),
     * hand held runs back (Postgres + Redis writes), let slots unwind (5 s), close pools.
     */
    public static final int WORKER_STOP_OVERHEAD_SECONDS = 30;
    /** After its shutdown grace an app needs at most this long to close its server and pools. */
    public static final int APP_STOP_OVERHEAD_SECONDS = 5;

    /** Dead since Activepieces 0.86.0: no tier reads it; the operator drops it from user env with a warning. */
    public static final String DEAD_PRE_WARM_CACHE = "AP_PRE_WARM_CACHE";

    private static final String QUEUE_NAME_PATTERN = "[A-Za-z0-9][A-Za-z0-9._-]{0,127}";

    // Stores: from the Secrets the FlowPlatform names.
    public static final Setting POSTGRES_URL = Setting.requiredText(ENV_VAR_POSTGRES_URL, "jdbc:postgresql:.+", BOTH, SECRET,
            "JDBC URL of Postgres, e.g. jdbc:postgresql://host:5432/flowfleet");
    public static final Setting POSTGRES_USERNAME = Setting.text(ENV_VAR_POSTGRES_USERNAME, "postgres", null, BOTH, SECRET,
            "Postgres user");
    public static final Setting POSTGRES_PASSWORD = Setting.text(ENV_VAR_POSTGRES_PASSWORD, "", null, BOTH, SECRET,
            "Postgres password");
    public static final Setting REDIS_URL = Setting.requiredText(ENV_VAR_REDIS_URL, "rediss?://.+", BOTH, SECRET,
            "redis://[:password@]host:port[/db] or rediss://");
    public static final Setting S3_BUCKET = Setting.requiredText(ENV_VAR_S3_BUCKET, null, BOTH, SECRET,
            "bucket of flow bundles and large outputs");
    public static final Setting S3_ENDPOINT = Setting.text(ENV_VAR_S3_ENDPOINT, null, "https?://[^/]+.*", BOTH, SECRET,
            "S3-compatible endpoint (path-style addressing); unset: AWS");
    public static final Setting S3_ACCESS_KEY_ID = Setting.text(ENV_VAR_S3_ACCESS_KEY_ID, null, null, BOTH, SECRET,
            "S3 access key; unset: the AWS default credential chain");
    public static final Setting S3_SECRET_ACCESS_KEY = Setting.text(ENV_VAR_S3_SECRET_ACCESS_KEY, null, null, BOTH, SECRET,
            "S3 secret key; unset: the AWS default credential chain");
    public static final Setting API_KEY = Setting.text(ENV_VAR_API_KEY, null, null, APP, SECRET,
            "X-API-Key of the management API; the app refuses to start without it");

    // Decided by the operator from the FlowPlatform / WorkerGroup.
    public static final Setting S3_REGION = Setting.text(ENV_VAR_S3_REGION, "us-east-1", null, BOTH, OPERATOR_ONLY,
            "region of the S3 bucket (spec.s3.region)");
    public static final Setting S3_USE_SIGNED_URLS = Setting.bool(ENV_VAR_S3_USE_SIGNED_URLS, true, BOTH, OPERATOR_ONLY,
            "workers fetch bundles through presigned GET URLs instead of SDK calls");
    public static final Setting EXECUTION_MODE = new Setting(ENV_VAR_EXECUTION_MODE, Setting.Type.ENUM, "SANDBOX_CODE_ONLY",
            false, null, null, List.of("SANDBOX_CODE_ONLY", "SANDBOX_PROCESS"), null, WORKER, OPERATOR_ONLY,
            "where flow code runs (spec.execution.mode); UNSANDBOXED is not supported");
    public static final Setting REUSE_SANDBOX = Setting.bool(ENV_VAR_REUSE_SANDBOX, true, WORKER, OPERATOR_ONLY,
            "keep bundles, compiled code and the JS engine warm between runs (spec.execution.reuseSandbox)");
    public static final Setting WORKER_CONCURRENCY = Setting.integer(ENV_VAR_WORKER_CONCURRENCY, 1, 1, WORKER_CONCURRENCY_MAX,
            WORKER, OPERATOR_ONLY, "slots: flows one worker runs at once (spec.execution.workerConcurrency)");
    public static final Setting FLOW_TIMEOUT_SECONDS = Setting.integer(ENV_VAR_FLOW_TIMEOUT_SECONDS, 600, 1,
            FLOW_TIMEOUT_SECONDS_MAX, WORKER, OPERATOR_ONLY,
            "run limit; past it the run ends TIMEOUT (spec.limits.flowTimeoutSeconds)");
    public static final Setting WEBHOOK_TIMEOUT_SECONDS = Setting.integer(ENV_VAR_WEBHOOK_TIMEOUT_SECONDS, 30, 1,
            WEBHOOK_TIMEOUT_SECONDS_MAX, APP, OPERATOR_ONLY,
            "sync webhook budget; past it the caller gets 408, the run goes on (spec.limits.webhookTimeoutSeconds)");
    public static final Setting MAX_WEBHOOK_PAYLOAD_SIZE_MB = Setting.integer(ENV_VAR_MAX_WEBHOOK_PAYLOAD_SIZE_MB, 25, 1,
            MAX_WEBHOOK_PAYLOAD_SIZE_MB_MAX, APP, OPERATOR_ONLY,
            "larger webhook bodies get 413 (spec.limits.maxWebhookPayloadSizeMb)");
    public static final Setting MAX_FILE_SIZE_MB = Setting.integer(ENV_VAR_MAX_FILE_SIZE_MB, 25, 1, MAX_FILE_SIZE_MB_MAX,
            WORKER, OPERATOR_ONLY,
            "largest http_request response body or step output; over it the step fails (spec.limits.maxFileSizeMb)");
    public static final Setting MAX_FLOW_RUN_LOG_SIZE_MB = Setting.integer(ENV_VAR_MAX_FLOW_RUN_LOG_SIZE_MB, 50, 1,
            MAX_FLOW_RUN_LOG_SIZE_MB_MAX, WORKER, OPERATOR_ONLY,
            "steps' inputs and outputs of one run; past it LOG_SIZE_EXCEEDED (spec.limits.maxFlowRunLogSizeMb)");
    public static final Setting QUEUE_NAME = Setting.text(ENV_VAR_QUEUE_NAME, "default", QUEUE_NAME_PATTERN, WORKER,
            OPERATOR_ONLY, "the queue this worker serves: default, or its WorkerGroup's name");
    public static final Setting QUEUE_ROUTES = Setting.text(ENV_VAR_QUEUE_ROUTES, "", null, APP, OPERATOR_ONLY,
            "projectA=groupX,projectB=groupX: projects of WorkerGroups; others go to default");
    public static final Setting SHUTDOWN_GRACE_SECONDS = new Setting(ENV_VAR_SHUTDOWN_GRACE_SECONDS, Setting.Type.INT, null,
            false, 1, SHUTDOWN_GRACE_SECONDS_MAX, List.of(), null, BOTH, OPERATOR_ONLY,
            "app: how long held sync callers may finish (unset: webhook timeout + " + APP_SHUTDOWN_MARGIN_SECONDS
                    + " s); worker: how long runs may finish before they are handed back (unset: "
                    + WORKER_SHUTDOWN_GRACE_DEFAULT_SECONDS + " s; the operator sets the flow limit)");

    // Sound defaults a platform team may tune through spec.app.env / spec.worker.env.
    public static final Setting POSTGRES_POOL_SIZE = Setting.integer(ENV_VAR_POSTGRES_POOL_SIZE, 10, 1, 200, BOTH,
            USER_OVERRIDABLE, "HikariCP pool size per process");
    public static final Setting WORKER_ID = Setting.text(ENV_VAR_WORKER_ID, null, null, WORKER, USER_OVERRIDABLE,
            "the worker's name in runs and its Redis consumer name (unset: $HOSTNAME-PID)");
    public static final Setting RUN_LEASE_SECONDS = Setting.integer(ENV_VAR_RUN_LEASE_SECONDS, 10, 1, 3_600, BOTH,
            USER_OVERRIDABLE, "how long a silent worker keeps a run; keep it well under the webhook timeout");
    public static final Setting RUN_MAX_ATTEMPTS = Setting.integer(ENV_VAR_RUN_MAX_ATTEMPTS, 3, 1, 100, BOTH,
            USER_OVERRIDABLE, "deliveries before a run whose workers keep dying is failed");
    public static final Setting SANDBOX_JVM_OPTIONS = Setting.text(ENV_VAR_SANDBOX_JVM_OPTIONS,
            "-XX:+UseSerialGC -Xmx256m -Xss2m", null, WORKER, USER_OVERRIDABLE,
            "JVM options of the SANDBOX_PROCESS children the worker starts");

    private static final List<Setting> ALL = List.of(
            POSTGRES_URL, POSTGRES_USERNAME, POSTGRES_PASSWORD, POSTGRES_POOL_SIZE, REDIS_URL,
            S3_BUCKET, S3_ENDPOINT, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY, S3_REGION, S3_USE_SIGNED_URLS, API_KEY,
            EXECUTION_MODE, REUSE_SANDBOX, WORKER_CONCURRENCY, FLOW_TIMEOUT_SECONDS, WEBHOOK_TIMEOUT_SECONDS,
            MAX_WEBHOOK_PAYLOAD_SIZE_MB, MAX_FILE_SIZE_MB, MAX_FLOW_RUN_LOG_SIZE_MB, QUEUE_NAME, QUEUE_ROUTES,
            SHUTDOWN_GRACE_SECONDS, WORKER_ID, RUN_LEASE_SECONDS, RUN_MAX_ATTEMPTS, SANDBOX_JVM_OPTIONS);

    private static final Map<String, Setting> BY_NAME = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(Setting::name, Function.identity()));

    private RuntimeSettings() {}

    /** Every setting, in table order. */
    public static List<Setting> all() {
        return ALL;
    }

    public static Optional<Setting> byName(String name) {
        return Optional.ofNullable(BY_NAME.get(name));
    }

    /** The names user env may not set (OPERATOR_ONLY and SECRET), sorted. */
    public static List<String> reservedNames() {
        return ALL.stream().filter(Setting::reserved).map(Setting::name).sorted().toList();
    }

    /** Reads every setting through {@code lookup}; see {@link ParsedSettings#problems()}. */
    public static ParsedSettings parse(Function<String, String> lookup) {
        return ParsedSettings.read(lookup);
    }

    public static ParsedSettings parse(Map<String, String> env) {
        return parse(env::get);
    }
}
