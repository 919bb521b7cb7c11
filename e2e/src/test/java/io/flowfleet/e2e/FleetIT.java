package io.flowfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowfleet.local.RuntimeProcess;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.flowfleet.e2e.TestPlatform.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A small fleet: two workers on the default queue, a worker group "gold" for project gold-project
 * whose workers run flows in sandbox processes (SANDBOX_PROCESS), short leases. Workers die
 * (SIGKILL) or stop (SIGTERM) mid-run and their runs still end once.
 */
class FleetIT {
    private static final Duration LEASE = Duration.ofSeconds(2);
    private static final Map<String, String> WORKER = Map.of(
            "AP_RUN_LEASE_SECONDS", Long.toString(LEASE.toSeconds()), "AP_SHUTDOWN_GRACE_SECONDS", "1");
    private static final Map<String, String> GOLD_WORKER = Map.of(
            "AP_RUN_LEASE_SECONDS", Long.toString(LEASE.toSeconds()), "AP_SHUTDOWN_GRACE_SECONDS", "1",
            "AP_QUEUE_NAME", "gold", "AP_EXECUTION_MODE", "SANDBOX_PROCESS");

    @TempDir
    static Path dir;
    static TestPlatform platform;

    @BeforeAll
    static void start() throws Exception {
        platform = new TestPlatform(dir, Map.of());
        platform.startApp(Map.of("AP_QUEUE_ROUTES", "gold-project=gold"));
        platform.startWorker("worker-a", WORKER);
        platform.startWorker("worker-b", WORKER);
        platform.startWorker("worker-gold-1", GOLD_WORKER);
        platform.awaitReady();
    }

    @AfterAll
    static void stop() {
        if (platform != null) platform.close();
    }

    @Test
    void groupWorkersRunFlowsInACredentialFreeChildJvmPerSlot() throws Exception {
        RuntimeProcess worker = platform.aliveWorker("worker-gold-");
        List<ProcessHandle> sandboxes = sandboxes(worker);
        assertThat(sandboxes).as("one warm sandbox process for the worker's one slot").hasSize(1);
        String workerEnv = java.nio.file.Files.readString(Path.of("/proc/" + worker.pid() + "/environ"));
        String sandboxEnv = java.nio.file.Files.readString(Path.of("/proc/" + sandboxes.getFirst().pid() + "/environ"));
        assertThat(workerEnv).contains("AP_POSTGRES_PASSWORD=", "AP_S3_SECRET_ACCESS_KEY=");
        assertThat(sandboxEnv).doesNotContain("AP_");
        assertThat(sandboxes(platform.aliveWorker("worker-a", "worker-b")))
                .as("SANDBOX_CODE_ONLY workers run flows in their own JVM").isEmpty();
    }

    @Test
    void eachWorkerGroupsRunsLandOnItsOwnQueueAndWorkers() throws Exception {
        String goldFlow = platform.publishFile("flows/seed-benchmark.json", "gold-project");
        String plainFlow = platform.publishFile("flows/seed-benchmark.json", "other-project");

        for (int i = 0; i < 3; i++) {
            HttpResponse<String> gold = platform.webhook(goldFlow, true, "{}");
            HttpResponse<String> plain = platform.webhook(plainFlow, true, "{}");
            assertThat(gold.statusCode()).isEqualTo(200);
            assertThat(plain.statusCode()).isEqualTo(200);
            JsonNode goldRun = platform.awaitRun(gold.headers().firstValue("X-Flowfleet-Run-Id").orElseThrow(), TestPlatform::terminal, Duration.ofSeconds(30));
            JsonNode plainRun = platform.awaitRun(plain.headers().firstValue("X-Flowfleet-Run-Id").orElseThrow(), TestPlatform::terminal, Duration.ofSeconds(30));
            assertThat(goldRun.get("queue").asText()).isEqualTo("gold");
            assertThat(goldRun.get("workerId").asText()).startsWith("worker-gold-");
            assertThat(plainRun.get("queue").asText()).isEqualTo("default");
            assertThat(plainRun.get("workerId").asText()).isIn("worker-a", "worker-b");
        }
    }

    @Test
    void aOneSlotWorkerRunsOneFlowAtATimeWhileTheRestWaitsInRedis() {
        String flowId = platform.publish(WebhookFlowIT.SLOW_FLOW, "default");
        List<String> runIds = new java.util.ArrayList<>();
        for (int i = 0; i < 5; i++) runIds.add(json(platform.webhook(flowId, false, "{\"delay\": 400}")).get("runId").asText());

        List<JsonNode> runs = runIds.stream().map(id -> platform.awaitRun(id, TestPlatform::terminal, Duration.ofSeconds(60))).toList();

        assertThat(runs).allSatisfy(r -> assertThat(r.get("status").asText()).isEqualTo("SUCCEEDED"));
        Map<String, List<JsonNode>> byWorker = runs.stream().collect(java.util.stream.Collectors.groupingBy(r -> r.get("workerId").asText()));
        byWorker.forEach((worker, held) -> {
            List<JsonNode> ordered = held.stream().sorted(java.util.Comparator.comparing(r -> java.time.Instant.parse(r.get("startedAt").asText()))).toList();
            for (int i = 1; i < ordered.size(); i++) {
                assertThat(java.time.Instant.parse(ordered.get(i).get("startedAt").asText()))
                        .as("%s started a run before finishing the previous one", worker)
                        .isAfterOrEqualTo(java.time.Instant.parse(ordered.get(i - 1).get("finishedAt").asText()));
            }
        });
    }

    @Test
    void aRunWhoseWorkerIsKilledIsDeliveredAgainAndEndsOnce() throws Exception {
        String flowId = platform.publish(WebhookFlowIT.SLOW_FLOW, "default");
        CompletableFuture<HttpResponse<String>> caller = CompletableFuture.supplyAsync(
                () -> platform.webhook(flowId, true, "{\"delay\": 3000}"));
        String runId = awaitFirstRun(flowId);
        JsonNode running = platform.awaitRun(runId, r -> r.get("status").asText().equals("RUNNING"), Duration.ofSeconds(30));
        String victim = running.get("workerId").asText();

        platform.worker(victim).kill();

        JsonNode done = platform.awaitRun(runId, TestPlatform::terminal, Duration.ofSeconds(60));
        assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(done.get("attempt").asInt()).isEqualTo(2);
        assertThat(done.get("workerId").asText()).isNotEqualTo(victim).isIn("worker-a", "worker-b");
        assertThat(done.get("steps")).extracting(s -> s.get("name").asText()).containsExactly("trigger", "wait", "answer");
        assertThat(platform.runs(flowId)).hasSize(1);
        HttpResponse<String> answer = caller.get(60, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).as("the held caller gets the redelivered run's answer").isEqualTo(200);
        assertThat(json(answer).get("waited").asInt()).isEqualTo(3000);
    }

    @Test
    void aStoppingWorkerHandsItsRunBackAndAnotherFinishesIt() throws Exception {
        platform.startWorker("worker-gold-2", GOLD_WORKER).awaitReady(Duration.ofSeconds(120));
        String flowId = platform.publish(WebhookFlowIT.SLOW_FLOW, "gold-project");
        String runId = json(platform.webhook(flowId, false, "{\"delay\": 4000}")).get("runId").asText();
        JsonNode running = platform.awaitRun(runId, r -> r.get("status").asText().equals("RUNNING"), Duration.ofSeconds(30));
        RuntimeProcess holder = platform.worker(running.get("workerId").asText());

        holder.stop(Duration.ofSeconds(30));

        assertThat(holder.isAlive()).isFalse();
        assertThat(Files.readString(holder.logFile())).contains("handed back").doesNotContain("could not be processed");
        JsonNode done = platform.awaitRun(runId, TestPlatform::terminal, Duration.ofSeconds(60));
        assertThat(done.get("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(done.get("attempt").asInt()).isEqualTo(2);
        assertThat(done.get("workerId").asText()).isNotEqualTo(running.get("workerId").asText());
    }

    private static List<ProcessHandle> sandboxes(RuntimeProcess worker) {
        return worker.handle().children()
                .filter(p -> p.info().arguments().map(a -> List.of(a).contains("sandbox-child")).orElse(false)).toList();
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
