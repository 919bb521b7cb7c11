package io.flowfleet.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowfleet.contract.RuntimeSettings;
import io.flowfleet.contract.Setting;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The runtime parses exactly what the contract declares: its ranges, values and defaults. */
class RuntimeSettingsTest {

    private static Map<String, String> minimal() {
        Map<String, String> env = new HashMap<>();
        env.put(RuntimeSettings.POSTGRES_URL.name(), "jdbc:postgresql://db:5432/flowfleet");
        env.put(RuntimeSettings.REDIS_URL.name(), "redis://redis:6379");
        env.put(RuntimeSettings.S3_BUCKET.name(), "bundles");
        return env;
    }

    @Test
    void everyRangeCheckedSettingIsAcceptedAtItsMaximumAndRefusedAboveIt() {
        for (Setting setting : RuntimeSettings.all()) {
            if (!setting.rangeChecked()) continue;
            Map<String, String> env = minimal();
            env.put(setting.name(), Integer.toString(setting.max()));
            RuntimeConfig.from(env);
            env.put(setting.name(), Integer.toString(setting.min()));
            RuntimeConfig.from(env);

            env.put(setting.name(), Integer.toString(setting.max() + 1));
            assertThatThrownBy(() -> RuntimeConfig.from(env)).as(setting.name())
                    .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactly(
                            setting.name() + "='" + (setting.max() + 1) + "': must be between " + setting.min() + " and "
                                    + setting.max()));
        }
    }

    @Test
    void theContractsDefaultsAreTheRuntimesDefaults() {
        RuntimeConfig config = RuntimeConfig.from(minimal());
        assertThat(config.flowTimeout()).isEqualTo(Duration.ofSeconds(Integer.parseInt(RuntimeSettings.FLOW_TIMEOUT_SECONDS.defaultValue())));
        assertThat(config.webhookTimeout()).isEqualTo(Duration.ofSeconds(Integer.parseInt(RuntimeSettings.WEBHOOK_TIMEOUT_SECONDS.defaultValue())));
        assertThat(config.maxFileSizeBytes()).isEqualTo(25L * 1024 * 1024);
        assertThat(config.executionMode().name()).isEqualTo(RuntimeSettings.EXECUTION_MODE.defaultValue());
        assertThat(config.sandboxJvmOptions()).containsExactly("-XX:+UseSerialGC", "-Xmx256m", "-Xss2m");
        assertThat(config.queueName()).isEqualTo(QueueRoutes.DEFAULT_QUEUE).isEqualTo(RuntimeSettings.QUEUE_NAME.defaultValue());
        // the contract's enum values are the runtime's modes, no more and no fewer
        assertThat(java.util.Arrays.stream(ExecutionMode.values()).map(Enum::name).toList())
                .isEqualTo(RuntimeSettings.EXECUTION_MODE.values());
    }

    @Test
    void unsandboxedIsRefusedWithAClearError() {
        Map<String, String> env = minimal();
        env.put(RuntimeSettings.EXECUTION_MODE.name(), "UNSANDBOXED");
        assertThatThrownBy(() -> RuntimeConfig.from(env)).isInstanceOfSatisfying(ConfigException.class,
                e -> assertThat(e.problems()).containsExactly("AP_EXECUTION_MODE='UNSANDBOXED': must be one of "
                        + "SANDBOX_CODE_ONLY, SANDBOX_PROCESS (UNSANDBOXED is not supported: flow code always runs sandboxed)"));
    }

    @Test
    void shutdownGracesComeFromTheSettingOrFromTheLimits() {
        Map<String, String> env = minimal();
        env.put(RuntimeSettings.WEBHOOK_TIMEOUT_SECONDS.name(), "120");
        RuntimeConfig derived = RuntimeConfig.from(env);
        assertThat(derived.appShutdownGrace()).isEqualTo(Duration.ofSeconds(120 + RuntimeSettings.APP_SHUTDOWN_MARGIN_SECONDS));
        assertThat(derived.workerShutdownGrace()).isEqualTo(Duration.ofSeconds(RuntimeSettings.WORKER_SHUTDOWN_GRACE_DEFAULT_SECONDS));

        env.put(RuntimeSettings.SHUTDOWN_GRACE_SECONDS.name(), "600");
        RuntimeConfig set = RuntimeConfig.from(env);
        assertThat(set.appShutdownGrace()).isEqualTo(Duration.ofSeconds(600));
        assertThat(set.workerShutdownGrace()).isEqualTo(Duration.ofSeconds(600));
    }

    @Test
    void aDroppedSettingIsIgnoredSoOldConfigMapsStillStart() {
        Map<String, String> env = minimal();
        env.put("AP_FILE_STORAGE_LOCATION", "S3");
        assertThat(RuntimeConfig.from(env).s3Bucket()).isEqualTo("bundles");
        assertThat(RuntimeSettings.byName("AP_FILE_STORAGE_LOCATION")).isEmpty();
    }

    @Test
    void reservedNamesAreTheOperatorsAndTheSecrets() {
        assertThat(RuntimeSettings.reservedNames()).contains("AP_EXECUTION_MODE", "AP_WORKER_CONCURRENCY", "AP_QUEUE_NAME",
                "AP_QUEUE_ROUTES", "AP_POSTGRES_URL", "AP_REDIS_URL", "AP_S3_BUCKET", "AP_FLOW_TIMEOUT_SECONDS",
                "AP_WEBHOOK_TIMEOUT_SECONDS", "AP_MAX_FILE_SIZE_MB", "AP_SHUTDOWN_GRACE_SECONDS", "AP_API_KEY")
                .doesNotContain("AP_POSTGRES_POOL_SIZE", "AP_WORKER_ID", "AP_RUN_LEASE_SECONDS", "AP_SANDBOX_JVM_OPTIONS");
    }
}
