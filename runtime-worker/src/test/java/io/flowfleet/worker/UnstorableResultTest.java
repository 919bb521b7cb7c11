package io.flowfleet.worker;

import com.sun.net.httpserver.HttpServer;
import io.flowfleet.core.bundle.BundleStore;
import io.flowfleet.core.bundle.ObjectStore;
import io.flowfleet.core.bundle.OutputStore;
import io.flowfleet.core.config.RuntimeConfig;
import io.flowfleet.core.flow.FlowEngine;
import io.flowfleet.core.queue.ReplyPublisher;
import io.flowfleet.core.queue.RunJob;
import io.flowfleet.core.queue.RunQueue;
import io.flowfleet.core.run.HeldRuns;
import io.flowfleet.core.store.Database;
import io.flowfleet.core.store.FlowStore;
import io.flowfleet.core.store.RunRecord;
import io.flowfleet.core.flow.RunStatus;
import io.flowfleet.core.store.RunStore;
import io.flowfleet.local.DevServices;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real worker (without Spring) against real Postgres, Redis and S3: a run whose code step produces
 * what Postgres jsonb cannot keep (U+0000, an unpaired surrogate, in its output or its error) ends
 * FAILED in its first attempt, stored once and acknowledged, and is never run again (its HTTP step,
 * before the code step, hits a loopback counter exactly once). The next run succeeds.
 */
class UnstorableResultTest {
    private static final String FLOW = """
            {"name":"unstorable","trigger":{"name":"trigger","type":"webhook"},
             "steps":[{"name":"call","type":"http_request",
                       "settings":{"url":"%s","queryParams":{"tag":"{{trigger.body.tag}}"}}},
                      {"name":"bad","type":"code","settings":{"code":"export const code = async (inputs) => %s;"}}]}""";
    private static final String QUEUE = "unstorable";

    @TempDir
    static Path dir;
    static DevServices services;
    static HttpServer counter;
    static final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    static Database direct;
    static RunStore runs;
    static RunQueue queue;
    static RedisClient redis;
    static final List<AutoCloseable> worker = new ArrayList<>();
    static final Map<String, String[]> flowsByCode = new HashMap<>();

    @BeforeAll
    static void start() throws IOException {
        services = DevServices.start(dir.resolve("services"));
        counter = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        counter.createContext("/hit", exchange -> {
            String query = exchange.getRequestURI().getQuery();
            hits.computeIfAbsent(query == null ? "" : query.replace("tag=", ""), k -> new AtomicInteger()).incrementAndGet();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        counter.start();
        RuntimeConfig config = config();
        direct = Database.open(config, "test");
        runs = new RunStore(direct.dataSource());
        redis = RedisClient.create(config.redisUrl());
        queue = new RunQueue(redis);
        FlowStore flows = new FlowStore(direct.dataSource());
        String url = "http://127.0.0.1:" + counter.getAddress().getPort() + "/hit";
        try (ObjectStore objects = new ObjectStore(config)) {
            objects.ensureBucket();
            BundleStore bundles = new BundleStore(objects, false);
            for (String code : List.of("({ v: 'a' + String.fromCharCode(0) })", "({ v: String.fromCharCode(0xD800) + 'b' })",
                    "{ throw new Error('bad' + String.fromCharCode(0) + 'error') }", "({ ok: true })")) {
                String flowId = UUID.randomUUID().toString();
                String versionId = UUID.randomUUID().toString();
                String definition = FLOW.formatted(url, code);
                flows.create(flowId, "p", "unstorable", "flowfleet", definition);
                flows.publish(flowId, versionId, definition, bundles.write(flowId, versionId, definition)).orElseThrow();
                flowsByCode.put(code, new String[] {flowId, versionId});
            }
        }
        startWorker(config);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : worker.reversed()) c.close();
        if (queue != null) queue.close();
        if (redis != null) redis.shutdown();
        if (direct != null) direct.close();
        if (counter != null) counter.stop(0);
        if (services != null) services.close();
    }

    private static RuntimeConfig config() {
        Map<String, String> env = new HashMap<>(services.runtimeEnv());
        env.put("AP_QUEUE_NAME", QUEUE);
        env.put("AP_WORKER_ID", "worker-" + QUEUE);
        env.put("AP_WORKER_CONCURRENCY", "2");
        env.put("AP_RUN_LEASE_SECONDS", "2");
        return RuntimeConfig.from(env);
    }

    /** Assembles a worker as WorkerBeans does and starts its loop. */
    private static void startWorker(RuntimeConfig config) {
        Database database = Database.open(config, "worker-" + QUEUE);
        worker.add(database);
        RunStore workerRuns = new RunStore(database.dataSource(), database.relaxedDataSource());
        RedisClient client = RedisClient.create(config.redisUrl());
        worker.add(client::shutdown);
        RunQueue workerQueue = new RunQueue(client);
        worker.add(workerQueue);
        ReplyPublisher replies = new ReplyPublisher(client);
        worker.add(replies);
        ObjectStore objects = new ObjectStore(config);
        worker.add(objects);
        FlowEngine engine = FlowEngine.builder().build();
        worker.add(engine);
        WorkerMetrics metrics = new WorkerMetrics(new SimpleMeterRegistry());
        HeldRuns held = new HeldRuns();
        StoreHealth health = new StoreHealth(workerRuns);
        RunExecutor executor = new RunExecutor(workerRuns, workerQueue, replies,
                new FlowVersions(new BundleStore(objects, config.s3UseSignedUrls()), config), new InProcessRunner(engine),
                new OutputStore(objects), metrics, config, held, health);
        WorkerLoop loop = new WorkerLoop(executor, workerQueue, workerRuns, metrics, config, held, health);
        loop.start();
        worker.add(loop::stop);
    }

    /** Runs the flow of {@code code} once, with {@code tag} on its HTTP call; waits for its end, then three leases more. */
    private static RunRecord run(String code, String tag) throws InterruptedException {
        String[] flow = flowsByCode.get(code);
        String payload = "{\"method\":\"POST\",\"headers\":{},\"queryParams\":{},\"body\":{\"tag\":\"" + tag + "\"}}";
        UUID runId = runs.accept(UUID.randomUUID(), flow[0], false, payload, "{}", QUEUE).orElseThrow().runId();
        queue.enqueue(QUEUE, new RunJob(runId, flow[0], flow[1], null, payload)).join();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        RunRecord run = runs.find(runId).orElseThrow();
        while (!run.status().terminal() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            run = runs.find(runId).orElseThrow();
        }
        Thread.sleep(6_000); // three leases: a wrong re-delivery (reclaim after a lease) would have run by now
        return runs.find(runId).orElseThrow();
    }

    @Test
    void unstorableOutputsAndErrorsEndTheRunInItsFirstAttemptAndTheNextRunSucceeds() throws Exception {
        Map<String, String> cases = Map.of(
                "nul", "({ v: 'a' + String.fromCharCode(0) })",
                "surrogate", "({ v: String.fromCharCode(0xD800) + 'b' })",
                "error", "{ throw new Error('bad' + String.fromCharCode(0) + 'error') }");
        Map<String, String> errors = Map.of(
                "nul", "the step's output cannot be kept by the run store: a string holds U+0000",
                "surrogate", "the step's output cannot be kept by the run store: a string holds an unpaired UTF-16 surrogate",
                "error", "bad\uFFFDerror");
        for (var c : cases.entrySet()) {
            RunRecord run = run(c.getValue(), c.getKey());
            assertThat(run.status()).as(c.getKey()).isEqualTo(RunStatus.FAILED);
            assertThat(run.attempt()).as("%s: one attempt", c.getKey()).isEqualTo(1);
            assertThat(hits.get(c.getKey()).get()).as("%s: its HTTP step ran once", c.getKey()).isEqualTo(1);
            assertThat(run.error()).as(c.getKey()).startsWith("step bad: ").contains(errors.get(c.getKey()));
            assertThat(run.steps()).as(c.getKey()).extracting(s -> s.stepName() + ":" + s.status())
                    .containsExactly("trigger:SUCCEEDED", "call:SUCCEEDED", "bad:FAILED");
        }

        RunRecord after = run("({ ok: true })", "after");
        assertThat(after.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(after.attempt()).isEqualTo(1);
        assertThat(hits.get("after").get()).isEqualTo(1);
    }
}
