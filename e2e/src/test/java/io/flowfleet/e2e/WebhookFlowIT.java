package io.flowfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.flowfleet.e2e.TestPlatform.json;
import static org.assertj.core.api.Assertions.assertThat;

/** Webhooks end to end through the app and a worker process on real Postgres, Redis and S3. */
class WebhookFlowIT {
    /** Waits {{trigger.body.delay}} ms, then answers; the run goes on past the sync timeout. */
    static final String SLOW_FLOW = """
            {"name": "slow", "trigger": {"name": "trigger", "type": "webhook"},
             "steps": [
               {"name": "wait", "type": "delay", "settings": {"millis": "{{trigger.body.delay}}"}},
               {"name": "answer", "type": "return_response",
                "settings": {"status": 200, "body": {"waited": "{{wait.delayedMillis}}"}}}]}""";
    static final String FAILING_FLOW = """
            {"name": "failing", "trigger": {"name": "trigger", "type": "webhook"},
             "steps": [
               {"name": "explode", "type": "code",
                "settings": {"code": "export const code = async () => { throw new Error('no coffee'); };"}},
               {"name": "answer", "type": "return_response", "settings": {"status": 200, "body": {"never": true}}}]}""";
    static final String BIG_OUTPUT_FLOW = """
            {"name": "big", "trigger": {"name": "trigger", "type": "webhook"},
             "steps": [
               {"name": "make", "type": "code",
                "settings": {"code": "export const code = async () => 'x'.repeat(40000);"}}]}""";

    @TempDir
    static Path dir;
    static TestPlatform platform;

    @BeforeAll
    static void start() throws Exception {
        platform = new TestPlatform(dir, Map.of("AP_WEBHOOK_TIMEOUT_SECONDS", "2", "AP_MAX_WEBHOOK_PAYLOAD_SIZE_MB", "1"));
        platform.startApp(Map.of());
        platform.startWorker("worker-1", Map.of("AP_WORKER_CONCURRENCY", "2"));
        platform.awaitReady();
    }

    @AfterAll
    static void stop() {
        if (platform != null) platform.close();
    }

    @Test
    void theSeedFlowAnswersSynchronouslyAndItsRunIsStored() throws Exception {
        String flowId = platform.publishFile("flows/seed-benchmark.json", "default");

        HttpResponse<String> response = platform.webhook(flowId, true, "{}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(TestPlatform.JSON.readTree("{\"sum\":6}"));
        String runId = response.headers().firstValue("X-Flowfleet-Run-Id").orElseThrow();
        JsonNode run = platform.awaitRun(runId, TestPlatform::terminal, Duration.ofSeconds(30));
        assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.get("response").get("body").get("sum").asInt()).isEqualTo(6);
        assertThat(run.get("workerId").asText()).isEqualTo("worker-1");
    }

    @Test
    void anAsyncRunSucceedsAndItsStepsAreReadable() throws Exception {
        String flowId = platform.publishFile("flows/seed-benchmark.json", "default");

        HttpResponse<String> accepted = platform.webhook(flowId, false, "{\"hello\":\"world\"}");

        assertThat(accepted.statusCode()).isEqualTo(200);
        String runId = json(accepted).get("runId").asText();
        JsonNode run = platform.awaitRun(runId, r -> r.get("status").asText().equals("SUCCEEDED"), Duration.ofSeconds(30));
        assertThat(run.get("sync").asBoolean()).isFalse();
        assertThat(run.get("payload").get("body").get("hello").asText()).isEqualTo("world");
        assertThat(run.get("steps")).extracting(s -> s.get("name").asText()).containsExactly("trigger", "step_1", "step_2", "step_3");
        assertThat(run.get("steps").get(1).get("output").asInt()).isEqualTo(5);
        assertThat(run.get("steps").get(2).get("output").asInt()).isEqualTo(6);
        assertThat(platform.runs(flowId)).extracting(r -> r.get("id").asText()).containsExactly(runId);
    }

    @Test
    void aRunFailingBeforeItResponds500sWithItsError() {
        String flowId = platform.publish(FAILING_FLOW, "default");

        HttpResponse<String> response = platform.webhook(flowId, true, "{}");

        assertThat(response.statusCode()).isEqualTo(500);
        JsonNode error = json(response);
        assertThat(error.get("error").asText()).isEqualTo("RUN_FAILED");
        assertThat(error.get("message").asText()).contains("explode").contains("no coffee");
        JsonNode run = platform.awaitRun(error.get("runId").asText(), TestPlatform::terminal, Duration.ofSeconds(30));
        assertThat(run.get("status").asText()).isEqualTo("FAILED");
    }

    @Test
    void aSyncCallPastTheTimeoutGets408AndTheRunStillFinishes() {
        String flowId = platform.publish(SLOW_FLOW, "default");

        HttpResponse<String> response = platform.webhook(flowId, true, "{\"delay\": 3500}");

        assertThat(response.statusCode()).isEqualTo(408);
        JsonNode timeout = json(response);
        assertThat(timeout.get("message").asText()).contains("AP_WEBHOOK_TIMEOUT_SECONDS");
        JsonNode run = platform.awaitRun(timeout.get("runId").asText(), TestPlatform::terminal, Duration.ofSeconds(30));
        assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.get("response").get("body").get("waited").asInt()).isEqualTo(3500);
    }

    @Test
    void refusedWebhooksGetTheirStatusAndLeaveNoRunBehind() throws Exception {
        String flowId = platform.publishFile("flows/seed-benchmark.json", "default");

        assertThat(platform.webhook("no-such-flow", true, "{}").statusCode()).isEqualTo(404);
        HttpResponse<String> malformed = platform.webhook(flowId, true, "{\"a\": ");
        assertThat(malformed.statusCode()).isEqualTo(400);
        assertThat(json(malformed).get("error").asText()).isEqualTo("BAD_REQUEST");
        HttpResponse<String> tooLarge = platform.webhook(flowId, false, "{\"a\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}");
        assertThat(tooLarge.statusCode()).isEqualTo(413);
        assertThat(json(tooLarge).get("message").asText()).contains("AP_MAX_WEBHOOK_PAYLOAD_SIZE_MB");

        assertThat(platform.management("POST", "/api/v1/flows/" + flowId + "/disable", null).statusCode()).isEqualTo(200);
        HttpResponse<String> disabled = platform.webhook(flowId, false, "{}");
        assertThat(disabled.statusCode()).isEqualTo(404);
        assertThat(json(disabled).get("message").asText()).contains("disabled");

        assertThat(platform.management("DELETE", "/api/v1/flows/" + flowId, null).statusCode()).isEqualTo(204);
        assertThat(platform.webhook(flowId, true, "{}").statusCode()).isEqualTo(410);
        assertThat(platform.management("PUT", "/api/v1/flows/" + flowId, "{}").statusCode()).isEqualTo(410);

        assertThat(platform.runs(flowId)).as("no refused call left a run").isEmpty();
    }

    @Test
    void theManagementApiNeedsTheKeyAndRejectsInvalidFlowsWithReasons() {
        HttpResponse<String> noKey = platform.call("GET", "/api/v1/flows/x", null, Map.of());
        assertThat(noKey.statusCode()).isEqualTo(401);
        assertThat(json(noKey).get("error").asText()).isEqualTo("UNAUTHORIZED");

        HttpResponse<String> invalid = platform.management("POST", "/api/v1/flows", "{\"name\":\"x\",\"steps\":[{\"type\":\"nope\"}]}");
        assertThat(invalid.statusCode()).isEqualTo(400);
        assertThat(json(invalid).get("error").asText()).isEqualTo("INVALID_FLOW");
        assertThat(platform.management("GET", "/api/v1/flows/missing", null).statusCode()).isEqualTo(404);
        assertThat(platform.management("GET", "/api/v1/runs/not-a-uuid", null).statusCode()).isEqualTo(404);
    }

    @Test
    void anActivepiecesExportImportedThroughTheApiRunsThroughTheSyncWebhook() throws Exception {
        String flowId = platform.publishFile("flows/activepieces-webhook-code-response.json", "default");
        assertThat(json(platform.management("GET", "/api/v1/flows/" + flowId, null)).get("format").asText()).isEqualTo("activepieces");

        HttpResponse<String> response = platform.webhook(flowId, true, "{\"name\":\"Ada\",\"count\":41}");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(json(response)).isEqualTo(TestPlatform.JSON.readTree("{\"message\":\"Hello Ada\",\"next\":42}"));
    }

    @Test
    void aStepOutputOver32KbIsStoredInS3AndReadBackThroughTheApi() {
        String flowId = platform.publish(BIG_OUTPUT_FLOW, "default");

        String runId = json(platform.webhook(flowId, false, "{}")).get("runId").asText();

        JsonNode run = platform.awaitRun(runId, TestPlatform::terminal, Duration.ofSeconds(30));
        assertThat(run.get("status").asText()).isEqualTo("SUCCEEDED");
        JsonNode make = run.get("steps").get(1);
        assertThat(make.get("outputRef").asText()).startsWith("runs/" + runId + "/1/steps/");
        assertThat(make.get("output").asText()).hasSize(40_000);
    }

    @Test
    void bothTiersExposeHealthAndPrometheusMetrics() throws Exception {
        String flowId = platform.publishFile("flows/seed-benchmark.json", "default");
        assertThat(platform.webhook(flowId, true, "{}").statusCode()).isEqualTo(200);

        HttpResponse<String> metrics = platform.call("GET", "/actuator/prometheus", null, Map.of());
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body()).contains("flowfleet_queue_depth").contains("flowfleet_runs_open")
                .contains("flowfleet_webhook_seconds_count{mode=\"sync\",status=\"200\",tier=\"app\"}");
        assertThat(platform.call("GET", "/actuator/health/liveness", null, Map.of()).statusCode()).isEqualTo(200);

        try (HttpClient http = HttpClient.newHttpClient()) {
            URI worker = platform.worker("worker-1").baseUri();
            // The worker counts a run once its result is stored, just after the sync caller got its answer.
            String workerMetrics = "";
            for (long deadline = System.nanoTime() + 10_000_000_000L; System.nanoTime() < deadline; Thread.sleep(50)) {
                workerMetrics = http.send(HttpRequest.newBuilder(worker.resolve("/actuator/prometheus")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                if (workerMetrics.contains("flowfleet_runs_total{status=\"SUCCEEDED\"")) break;
            }
            assertThat(workerMetrics).contains("flowfleet_runs_total{status=\"SUCCEEDED\",tier=\"worker\"}")
                    .contains("flowfleet_step_seconds_count{status=\"SUCCEEDED\",tier=\"worker\",type=\"code\"}")
                    .contains("flowfleet_worker_busy_slots");
            assertThat(http.send(HttpRequest.newBuilder(worker.resolve("/actuator/health/readiness")).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
        }
    }
}
