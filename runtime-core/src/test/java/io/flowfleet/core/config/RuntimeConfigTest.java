package io.flowfleet.core.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RuntimeConfigTest {
    private static Map<String, String> minimal() {
        Map<String, String> env = new HashMap<>();
        env.put("AP_POSTGRES_URL", "jdbc:postgresql://db:5432/flowfleet");
        env.put("AP_REDIS_URL", "redis://redis:6379");
        env.put("AP_S3_BUCKET", "bundles");
        return env;
    }

    @Test
    void connectionSettingsAloneGiveTheDocumentedDefaults() {
        RuntimeConfig config = RuntimeConfig.from(minimal());

        assertThat(config.workerConcurrency()).isEqualTo(1);
        assertThat(config.reuseSandbox()).isTrue();
        assertThat(config.executionMode()).isEqualTo(ExecutionMode.SANDBOX_CODE_ONLY);
        assertThat(config.webhookTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.flowTimeout()).isEqualTo(Duration.ofSeconds(600));
        assertThat(config.maxWebhookPayloadBytes()).isEqualTo(25L * 1024 * 1024);
        assertThat(config.queueName()).isEqualTo("default");
        assertThat(config.queueRoutes().queueFor("anyone")).isEqualTo("default");
        assertThat(config.s3UseSignedUrls()).isTrue();
        assertThat(config.s3Endpoint()).isNull();
        assertThat(config.runLease()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void everyBadValueIsReportedAtOnceWithItsName() {
        Map<String, String> env = minimal();
        env.remove("AP_REDIS_URL");
        env.put("AP_WORKER_CONCURRENCY", "zero");
        env.put("AP_REUSE_SANDBOX", "yes");
        env.put("AP_EXECUTION_MODE", "docker");
        env.put("AP_WEBHOOK_TIMEOUT_SECONDS", "0");
        env.put("AP_QUEUE_ROUTES", "projectA");

        assertThatThrownBy(() -> RuntimeConfig.from(env))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).containsExactlyInAnyOrder(
                        "AP_REDIS_URL is required",
                        "AP_WORKER_CONCURRENCY='zero': must be a whole number",
                        "AP_REUSE_SANDBOX='yes': must be true or false",
                        "AP_EXECUTION_MODE='docker': must be one of SANDBOX_CODE_ONLY, SANDBOX_PROCESS",
                        "AP_WEBHOOK_TIMEOUT_SECONDS='0': must be between 1 and 3600",
                        "AP_QUEUE_ROUTES='projectA': 'projectA' is not project=queue"));
    }

    @Test
    void routesSendListedProjectsToTheirGroupAndOthersToDefault() {
        Map<String, String> env = minimal();
        env.put("AP_QUEUE_ROUTES", " projectA=gold, projectB=gold,projectC=silver ");
        env.put("AP_EXECUTION_MODE", "sandbox_process");

        RuntimeConfig config = RuntimeConfig.from(env);

        assertThat(config.queueRoutes().queueFor("projectA")).isEqualTo("gold");
        assertThat(config.queueRoutes().queueFor("projectC")).isEqualTo("silver");
        assertThat(config.queueRoutes().queueFor("projectZ")).isEqualTo("default");
        assertThat(config.executionMode()).isEqualTo(ExecutionMode.SANDBOX_PROCESS);
    }

    @Test
    void aProjectRoutedTwiceIsRejected() {
        assertThatThrownBy(() -> QueueRoutes.parse("p=a,p=b")).hasMessageContaining("routed to both 'a' and 'b'");
    }

    @Test
    void secretsStayOutOfToString() {
        Map<String, String> env = minimal();
        env.put("AP_REDIS_URL", "redis://:hunter2@redis:6379");
        env.put("AP_POSTGRES_PASSWORD", "pg-secret");
        env.put("AP_API_KEY", "api-secret");

        String text = RuntimeConfig.from(env).toString();

        assertThat(text).doesNotContain("hunter2", "pg-secret", "api-secret");
    }
}
