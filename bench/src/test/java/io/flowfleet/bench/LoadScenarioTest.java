package io.flowfleet.bench;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/** The harness's HTTP side against a plain JDK server: counting, checking answers, bounds. */
class LoadScenarioTest {

    private static HttpServer server;
    private static final AtomicLong served = new AtomicLong();

    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/right", exchange -> answer(exchange, 200, "{\"sum\": 6}"));
        server.createContext("/wrong", exchange -> answer(exchange, 200, "{\"sum\": 5}"));
        server.createContext("/broken", exchange -> answer(exchange, 500, "{\"error\":\"boom\"}"));
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(8));
        server.start();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
    }

    private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        served.incrementAndGet();
        exchange.getRequestBody().readAllBytes();
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void countsOnlyCorrectAnswersAsSuccesses() {
        try (SyncCaller caller = new SyncCaller("{}", "{\"sum\":6}", Duration.ofSeconds(5))) {
            assertThat(caller.call(uri("/right")).ok()).isTrue();
            CallOutcome wrong = caller.call(uri("/wrong"));
            assertThat(wrong.ok()).isFalse();
            assertThat(wrong.error()).contains("unexpected body");
            CallOutcome broken = caller.call(uri("/broken"));
            assertThat(broken.error()).startsWith("status 500");
            assertThat(caller.successes()).isEqualTo(1);
        }
    }

    @Test
    void aClosedLoopRecordsEveryCallOfTheWindowAndStopsAtItsEnd() throws Exception {
        try (SyncCaller caller = new SyncCaller("{}", "{\"sum\":6}", Duration.ofSeconds(5))) {
            BenchResult.Load load = LoadScenario.run(caller, uri("/right"), 4, Duration.ofMillis(200), Duration.ofMillis(800), thisJvm());
            long servedAfterReturn = served.get();

            assertThat(load.concurrency()).isEqualTo(4);
            assertThat(load.errors()).isZero();
            assertThat(load.requests()).isPositive();
            assertThat(load.requestsPerSecond()).isEqualTo(CpuMeter.round3(load.requests() / 0.8));
            assertThat(load.p50Ms()).isPositive().isLessThanOrEqualTo(load.p99Ms());
            assertThat(caller.successes()).isGreaterThanOrEqualTo(load.requests());
            Thread.sleep(200);
            assertThat(served.get()).as("no call after the scenario returned").isEqualTo(servedAfterReturn);
        }
    }

    @Test
    void errorsUnderLoadAreCountedWithTheFirstOneKept() throws Exception {
        try (SyncCaller caller = new SyncCaller("{}", "{\"sum\":6}", Duration.ofSeconds(5))) {
            BenchResult.Load load = LoadScenario.run(caller, uri("/broken"), 2, Duration.ZERO, Duration.ofMillis(300), thisJvm());

            assertThat(load.errors()).isPositive().isEqualTo(load.requests());
            assertThat(load.requestsPerSecond()).isZero();
            assertThat(load.firstError()).startsWith("status 500");
        }
    }

    @Test
    void warmStopsAtItsDeadline() {
        try (SyncCaller caller = new SyncCaller("{}", "{\"sum\":6}", Duration.ofSeconds(5))) {
            BenchResult.Warm warm = WarmScenario.run(caller, uri("/right"), 3, Duration.ZERO, 1_000_000, thisJvm(), null,
                    Instant.now().plusMillis(300));

            assertThat(warm.latency().count()).isPositive().isLessThan(1_000_000);
            assertThat(warm.latency().errors()).isZero();
            // the warm calls spent the deadline: the HTTP floor is skipped, not measured half-way
            assertThat(warm.httpFloor().count()).isZero();
        }
    }

    /** A CpuMeter over this JVM only (no platform in these tests). */
    private static CpuMeter thisJvm() {
        return new CpuMeter(Map.of("this-jvm", java.util.List.of(ProcessHandle.current().pid())));
    }
}
