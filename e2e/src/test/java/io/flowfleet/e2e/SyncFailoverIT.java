package io.flowfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.flowfleet.e2e.TestPlatform.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Failure detection inside the sync budget, with the shipped defaults (AP_RUN_LEASE_SECONDS,
 * AP_WEBHOOK_TIMEOUT_SECONDS=30): a worker SIGKILLed while it runs a sync caller's flow, and the
 * caller still gets the flow's answer from the worker that takes the run over, well before 408.
 */
class SyncFailoverIT {
    @TempDir
    static Path dir;
    static TestPlatform platform;

    @BeforeAll
    static void start() throws Exception {
        platform = new TestPlatform(dir, Map.of());
        platform.startApp(Map.of());
        platform.startWorker("failover-a", Map.of());
        platform.startWorker("failover-b", Map.of());
        platform.awaitReady();
    }

    @AfterAll
    static void stop() {
        if (platform != null) platform.close();
    }

    @Test
    void aKilledWorkersSyncCallerIsAnsweredWithinTheBudget() throws Exception {
        String flowId = platform.publish(WebhookFlowIT.SLOW_FLOW, "default");
        long sent = System.nanoTime();
        CompletableFuture<HttpResponse<String>> caller = CompletableFuture.supplyAsync(
                () -> platform.webhook(flowId, true, "{\"delay\": 3000}"));
        String runId = awaitFirstRun(flowId);
        JsonNode running = platform.awaitRun(runId, r -> r.get("status").asText().equals("RUNNING"), Duration.ofSeconds(30));
        String victim = running.get("workerId").asText();

        platform.worker(victim).kill();
        long killed = System.nanoTime();

        HttpResponse<String> answer = caller.get(60, TimeUnit.SECONDS);
        long answered = System.nanoTime();
        System.out.printf("sync caller answered %d ms after the kill, %d ms after it called (budget 30 s)%n",
                (answered - killed) / 1_000_000, (answered - sent) / 1_000_000);
        assertThat(answer.statusCode()).as("the flow's answer, not 408: %s", answer.body()).isEqualTo(200);
        assertThat(json(answer).get("waited").asInt()).isEqualTo(3000);
        assertThat(Duration.ofNanos(answered - sent)).isLessThan(Duration.ofSeconds(30));
        JsonNode done = platform.awaitRun(runId, TestPlatform::terminal, Duration.ofSeconds(30));
        assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(done.get("attempt").asInt()).isEqualTo(2);
        assertThat(done.get("workerId").asText()).isNotEqualTo(victim);
    }

    private static String awaitFirstRun(String flowId) throws InterruptedException {
        for (int i = 0; i < 600; i++) {
            JsonNode runs = platform.runs(flowId);
            if (!runs.isEmpty()) return runs.get(0).get("id").asText();
            Thread.sleep(50);
        }
        throw new AssertionError("no run of flow " + flowId + " appeared");
    }
}
