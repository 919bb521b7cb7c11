package io.flowfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowfleet.core.queue.RunQueue;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import redis.embedded.RedisServer;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.flowfleet.e2e.TestPlatform.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Outages of real servers answer fast and honestly: with Redis down a webhook gets 503
 * QUEUE_UNAVAILABLE with Retry-After, and that call never runs, not even after Redis is back (no
 * replayed XADD, no run left for the sweeper); with Postgres down, 503 DATABASE_UNAVAILABLE.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class OutageIT {
    /** Generous on a noisy 2-core machine; what it rules out is the old 5 s (Redis) and 10 s (Postgres) waits. */
    static final Duration FAST = Duration.ofMillis(4_500);

    @TempDir
    static Path dir;
    static TestPlatform platform;
    static int redisPort;
    static Path redisDir;
    static RedisServer redis;
    static String flowId;

    @BeforeAll
    static void start() throws Exception {
        // A Redis of our own, on a port that stays the same across the restart.
        try (ServerSocket s = new ServerSocket(0)) {
            redisPort = s.getLocalPort();
        }
        redisDir = Files.createDirectories(dir.resolve("redis"));
        redis = startRedis();
        platform = new TestPlatform(dir, Map.of("AP_REDIS_URL", "redis://127.0.0.1:" + redisPort));
        platform.startApp(Map.of());
        platform.startWorker("worker-1", Map.of());
        platform.awaitReady();
        flowId = platform.publishFile("flows/seed-benchmark.json", "default");
    }

    static RedisServer startRedis() throws IOException {
        RedisServer server = RedisServer.newRedisServer().port(redisPort).bind("127.0.0.1")
                .setting("dir " + redisDir.toAbsolutePath())
                .setting("appendonly no")
                .build();
        server.start();
        return server;
    }

    @AfterAll
    static void stop() throws IOException {
        if (platform != null) platform.close();
        if (redis != null) redis.stop();
    }

    private static <T> T redisCall(java.util.function.Function<io.lettuce.core.api.sync.RedisCommands<String, String>, T> call) {
        RedisClient client = RedisClient.create("redis://127.0.0.1:" + redisPort);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            return call.apply(c.sync());
        } finally {
            client.shutdown();
        }
    }

    @Test
    @Order(1)
    void redisDownRefusesTheCallFastAndThatCallNeverRuns() throws Exception {
        HttpResponse<String> before = platform.webhook(flowId, true, "{}");
        assertThat(before.statusCode()).isEqualTo(200);
        long runsBefore = runsOfFlow();

        // Keep the stream and its consumer group across the restart, as a persistent Redis would.
        redisCall(r -> r.save());
        redis.stop();

        List<Integer> statuses = new ArrayList<>();
        for (boolean sync : new boolean[] {false, true, false, true}) {
            long start = System.nanoTime();
            HttpResponse<String> refused = platform.webhook(flowId, sync, "{\"during\":\"outage\"}");
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            statuses.add(refused.statusCode());
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            JsonNode error = json(refused);
            assertThat(error.get("error").asText()).isEqualTo("QUEUE_UNAVAILABLE");
            assertThat(error.get("message").asText()).contains("try again");
            assertThat(refused.headers().firstValue("Retry-After")).isPresent();
            assertThat(took).as("503 after %s", took).isLessThan(FAST);
        }
        assertThat(runsOfFlow()).as("refused calls leave no run for the sweeper").isEqualTo(runsBefore);

        redis = startRedis();
        // Back to normal once the clients have reconnected on their own.
        HttpResponse<String> after = null;
        for (long deadline = System.nanoTime() + 30_000_000_000L; System.nanoTime() < deadline; Thread.sleep(250)) {
            after = platform.webhook(flowId, true, "{\"after\":\"outage\"}");
            if (after.statusCode() == 200) break;
        }
        assertThat(after.statusCode()).as(after.body()).isEqualTo(200);

        // Let any replayed command or sweeper pass happen, then look: only the calls that got 200 ran.
        Thread.sleep(3_000);
        List<String> statusesStored = runStatuses();
        assertThat(statusesStored).as("runs of the flow").allMatch("SUCCEEDED"::equals);
        assertThat(runsWithPayload("outage")).as("runs made from the refused calls").isZero();
        Long jobs = redisCall(r -> r.xlen(RunQueue.streamOf("default")));
        assertThat(jobs).as("jobs left in the stream").isZero();
    }

    @Test
    @Order(2)
    void postgresDownAnswers503Fast() {
        platform.services.postgres().close();

        long start = System.nanoTime();
        HttpResponse<String> webhook = platform.webhook(flowId, false, "{}");
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        assertThat(webhook.statusCode()).as(webhook.body()).isEqualTo(503);
        assertThat(json(webhook).get("error").asText()).isEqualTo("DATABASE_UNAVAILABLE");
        assertThat(webhook.headers().firstValue("Retry-After")).isPresent();
        assertThat(took).as("503 after %s", took).isLessThan(FAST);

        for (int i = 0; i < 2; i++) {
            start = System.nanoTime();
            HttpResponse<String> management = platform.management("GET", "/api/v1/flows/" + flowId, null);
            took = Duration.ofNanos(System.nanoTime() - start);
            assertThat(management.statusCode()).as(management.body()).isEqualTo(503);
            assertThat(json(management).get("error").asText()).isEqualTo("DATABASE_UNAVAILABLE");
            assertThat(management.headers().firstValue("Retry-After")).isPresent();
            assertThat(took).as("503 after %s", took).isLessThan(FAST);
            HttpResponse<String> sync = platform.webhook(flowId, true, "{}");
            assertThat(sync.statusCode()).as(sync.body()).isEqualTo(503);
            assertThat(json(sync).get("error").asText()).isEqualTo("DATABASE_UNAVAILABLE");
        }
    }

    private static long runsOfFlow() throws Exception {
        try (Connection c = platform.services.postgres().connect();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM runs WHERE flow_id = ?")) {
            ps.setString(1, flowId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static long runsWithPayload(String marker) throws Exception {
        try (Connection c = platform.services.postgres().connect();
             PreparedStatement ps = c.prepareStatement("SELECT count(*) FROM runs WHERE flow_id = ? AND payload -> 'body' ->> 'during' = ?")) {
            ps.setString(1, flowId);
            ps.setString(2, marker);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private static List<String> runStatuses() throws Exception {
        List<String> out = new ArrayList<>();
        try (Connection c = platform.services.postgres().connect();
             PreparedStatement ps = c.prepareStatement("SELECT status FROM runs WHERE flow_id = ?")) {
            ps.setString(1, flowId);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) out.add(rs.getString(1));
            }
        }
        return out;
    }
}
