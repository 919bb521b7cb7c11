package io.flowfleet.worker;

import com.sun.net.httpserver.HttpServer;
import io.flowfleet.core.bundle.BundleStore;
import io.flowfleet.core.bundle.ObjectStore;
import io.flowfleet.core.bundle.OutputStore;
import io.flowfleet.core.config.RuntimeConfig;
import io.flowfleet.core.flow.FlowEngine;
import io.flowfleet.core.flow.RunStatus;
import io.flowfleet.core.queue.QueueState;
import io.flowfleet.core.queue.ReplyPublisher;
import io.flowfleet.core.queue.RunJob;
import io.flowfleet.core.queue.RunQueue;
import io.flowfleet.core.run.HeldRuns;
import io.flowfleet.core.store.Claim;
import io.flowfleet.core.store.Database;
import io.flowfleet.core.store.FlowStore;
import io.flowfleet.core.store.RunOutcome;
import io.flowfleet.core.store.RunRecord;
import io.flowfleet.core.store.RunStore;
import io.flowfleet.local.DevServices;
import io.lettuce.core.RedisClient;
import io.lettuce.core.XAddArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real worker (its loop, executor, heartbeat and sweeper, without Spring) against real Postgres,
 * Redis and S3, running a flow whose HTTP step hits a counter on loopback: stale jobs are refused
 * without any effect, a lost run swept back is not stuck behind them, and a worker whose Postgres is
 * out of reach takes no job until it is back.
 */
class WorkerDeliveryTest {
    private static final String FLOW = """
            {"name":"effect","trigger":{"name":"trigger","type":"webhook"},
             "steps":[{"name":"sum","type":"math","settings":{"operation":"add","a":1,"b":2}},
                      {"name":"call","type":"http_request",
                       "settings":{"url":"%s","queryParams":{"tag":"{{trigger.body.tag}}"}}}]}""";

    @TempDir
    static Path dir;
    static DevServices services;
    static HttpServer counter;
    static final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
    static TcpProxy postgresProxy;
    static Database direct;
    static RunStore runs;
    static FlowStore flows;
    static RedisClient redis;
    static RunQueue queue;
    static String flowId;
    static String versionId;
    static String slowFlowId;
    static String slowVersionId;
    static String longFlowId;
    static String longVersionId;

    private final List<AutoCloseable> worker = new ArrayList<>();
    /** The loop of the worker started last. */
    private WorkerLoop loop;

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
        postgresProxy = new TcpProxy(services.postgres().port());
        RuntimeConfig config = config("setup", Map.of());
        direct = Database.open(config, "test");
        runs = new RunStore(direct.dataSource());
        flows = new FlowStore(direct.dataSource());
        redis = RedisClient.create(config.redisUrl());
        queue = new RunQueue(redis);
        // One published flow whose bundle is in S3, as the app leaves it.
        flowId = UUID.randomUUID().toString();
        versionId = UUID.randomUUID().toString();
        String definition = FLOW.formatted("http://127.0.0.1:" + counter.getAddress().getPort() + "/hit");
        slowFlowId = UUID.randomUUID().toString();
        slowVersionId = UUID.randomUUID().toString();
        String slow = definition.replace("""
                {"name":"sum","type":"math","settings":{"operation":"add","a":1,"b":2}}""", """
                {"name":"wait","type":"delay","settings":{"millis":1500}}""");
        try (ObjectStore objects = new ObjectStore(config)) {
            objects.ensureBucket();
            BundleStore bundles = new BundleStore(objects, false);
            flows.create(flowId, "p", "effect", "flowfleet", definition);
            flows.publish(flowId, versionId, definition, bundles.write(flowId, versionId, definition)).orElseThrow();
            longFlowId = UUID.randomUUID().toString();
            longVersionId = UUID.randomUUID().toString();
            String longer = slow.replace("\"millis\":1500", "\"millis\":5000");
            flows.create(longFlowId, "p", "long-effect", "flowfleet", longer);
            flows.publish(longFlowId, longVersionId, longer, bundles.write(longFlowId, longVersionId, longer)).orElseThrow();
            flows.create(slowFlowId, "p", "slow-effect", "flowfleet", slow);
            flows.publish(slowFlowId, slowVersionId, slow, bundles.write(slowFlowId, slowVersionId, slow)).orElseThrow();
        }
    }

    @AfterAll
    static void stop() {
        if (queue != null) queue.close();
        if (redis != null) redis.shutdown();
        if (direct != null) direct.close();
        if (postgresProxy != null) postgresProxy.close();
        if (counter != null) counter.stop(0);
        if (services != null) services.close();
    }

    @AfterEach
    void stopWorker() throws Exception {
        for (AutoCloseable c : worker.reversed()) c.close();
        worker.clear();
    }

    private static RuntimeConfig config(String queueName, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(services.runtimeEnv());
        env.put("AP_QUEUE_NAME", queueName);
        env.put("AP_WORKER_ID", "worker-" + queueName);
        env.put("AP_WORKER_CONCURRENCY", "2");
        env.put("AP_RUN_LEASE_SECONDS", "2");
        env.put("AP_SHUTDOWN_GRACE_SECONDS", "1"); // a run still going 1 s after stop is handed back
        env.putAll(extra);
        return RuntimeConfig.from(env);
    }

    /** Assembles a worker as WorkerBeans does, its Postgres reached through the proxy, and starts its loop. */
    private StoreHealth startWorker(String queueName) {
        return startWorker(queueName, Duration.ofSeconds(2));
    }

    private StoreHealth startWorker(String queueName, Duration lease) {
        RuntimeConfig config = config(queueName, Map.of(
                "AP_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:" + postgresProxy.port() + "/flowfleet",
                "AP_RUN_LEASE_SECONDS", Long.toString(lease.toSeconds())));
        Database database = Database.open(config, "worker-" + queueName);
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
        this.loop = loop;
        return health;
    }

    private static UUID accept(String queueName) {
        return runs.accept(UUID.randomUUID(), flowId, false, "{}", "{}", queueName).orElseThrow().runId();
    }

    private static String payload(String tag) {
        return "{\"method\":\"POST\",\"headers\":{},\"queryParams\":{},\"body\":{\"tag\":\"" + tag + "\"}}";
    }

    private static int hits(String tag) {
        AtomicInteger n = hits.get(tag);
        return n == null ? 0 : n.get();
    }

    private static RunRecord awaitRun(UUID runId, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        RunRecord run = runs.find(runId).orElseThrow();
        while (!run.status().terminal() && System.nanoTime() < deadline) {
            Thread.sleep(50);
            run = runs.find(runId).orElseThrow();
        }
        return run;
    }

    private static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("not within " + timeout + ": " + what);
            Thread.sleep(50);
        }
    }

    @Test
    void staleJobsOfFinishedRunsAreRefusedWithoutEffectsAndALostRunSweptBackIsNotStuckBehindThem() throws Exception {
        String q = "stale";
        // 300 runs that ended long ago, and their jobs still in the stream, as Redis has them after
        // coming back from an old snapshot (entry ids from ten minutes ago), then 20 duplicate jobs
        // of such runs just added (read at once: their claim overlaps the flow's start).
        List<UUID> finished = new ArrayList<>();
        for (int i = 0; i < 320; i++) {
            UUID runId = accept(q);
            Claim claim = runs.claim(runId, "old-worker", Duration.ofSeconds(30)).orElseThrow();
            assertThat(runs.complete(new RunOutcome(runId, claim.attempt(), "old-worker", RunStatus.SUCCEEDED, null, null, List.of()))).isTrue();
            finished.add(runId);
        }
        queue.ensureGroup(q);
        long tenMinutesAgo = System.currentTimeMillis() - 600_000;
        try (StatefulRedisConnection<String, String> raw = redis.connect()) {
            for (int i = 0; i < 300; i++) {
                Map<String, String> fields = new LinkedHashMap<>();
                fields.put("run", finished.get(i).toString());
                fields.put("flow", flowId);
                fields.put("version", versionId);
                fields.put("payload", payload("stale"));
                raw.sync().xadd(RunQueue.streamOf(q), new XAddArgs().id(tenMinutesAgo + "-" + i), fields);
            }
        }
        for (int i = 300; i < 320; i++) {
            queue.enqueue(q, new RunJob(finished.get(i), flowId, versionId, null, payload("stale"))).join();
        }
        // A run accepted a minute ago whose job Redis lost.
        UUID lost = runs.accept(UUID.randomUUID(), flowId, false, payload("lost"), "{}", q).orElseThrow().runId();
        try (Connection c = direct.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement("UPDATE runs SET enqueued_at = now() - interval '1 minute' WHERE id = ?")) {
            ps.setObject(1, lost);
            ps.executeUpdate();
        }
        assertThat(queue.state(q).waiting()).isEqualTo(320);

        long started = System.nanoTime();
        startWorker(q);
        RunRecord swept = awaitRun(lost, Duration.ofSeconds(60));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(swept.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(hits("lost")).as("the swept run ran once").isEqualTo(1);
        assertThat(hits("stale")).as("no stale job reached an effect").isZero();
        await(() -> queue.state(q).depth() == 0, Duration.ofSeconds(30), "every stale job acknowledged");
        assertThat(finished).allSatisfy(id -> assertThat(runs.find(id).orElseThrow().attempt()).isEqualTo(1));
        System.out.printf("swept run done %d ms after the worker started, behind 320 stale jobs%n", tookMillis);
        assertThat(tookMillis).as("not queued behind the stale backlog's executions").isLessThan(20_000);
    }

    @Test
    void aDeadWorkersJobReclaimedBeforeItsLeaseEndedIsDeliveredAgainWhenTheLeaseEndsNotALeaseLater() throws Exception {
        String q = "lease-outlasts-idle";
        Duration lease = Duration.ofSeconds(10);
        // A worker read the job and claimed the run, then died; its entry has idled a whole lease
        // already but its lease in Postgres still runs 3 s (its last heartbeat came after its last
        // keep-alive): the first reclaim is refused.
        UUID runId = runs.accept(UUID.randomUUID(), flowId, false, payload("late-lease"), "{}", q).orElseThrow().runId();
        queue.enqueue(q, new RunJob(runId, flowId, versionId, null, payload("late-lease"))).join();
        try (RunQueue.QueueConsumer dead = queue.consumer(q, "dead-worker")) {
            String entry = dead.read(1, Duration.ofMillis(500)).getFirst().messageId();
            queue.reclaimableAfter(q, "dead-worker", entry, Duration.ZERO, lease);
        }
        runs.claim(runId, "dead-worker", Duration.ofSeconds(3)).orElseThrow();

        long started = System.nanoTime();
        startWorker(q, lease);
        RunRecord run = awaitRun(runId, Duration.ofSeconds(60));
        long tookMillis = (System.nanoTime() - started) / 1_000_000;

        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.attempt()).isEqualTo(2);
        assertThat(hits("late-lease")).isEqualTo(1);
        System.out.printf("run delivered again and done %d ms after the worker started (dead holder's lease ended at 3 s)%n", tookMillis);
        // Before: the refused reclaim reset the entry's idle time, and the run waited a whole lease (10 s) more.
        assertThat(tookMillis).as("delivered again when the dead holder's lease ended, not a lease after the refusal")
                .isLessThan(lease.toMillis() - 1_000);
    }

    @Test
    void aWorkerTakesNoJobWhilePostgresIsUnreachableAndResumesByItself() throws Exception {
        String q = "pgdown";
        StoreHealth health = startWorker(q);
        UUID runId = runs.accept(UUID.randomUUID(), flowId, false, payload("outage"), "{}", q).orElseThrow().runId();

        postgresProxy.cut();
        try {
            await(health::isDown, Duration.ofSeconds(40), "the worker notices that Postgres is gone");
            Thread.sleep(1_500); // a read that was already blocking (XREADGROUP BLOCK 1 s) when it noticed has returned
            queue.enqueue(q, new RunJob(runId, flowId, versionId, null, payload("outage"))).join();
            Thread.sleep(3_000); // a worker that reads would have done so within a second: nothing to await for an absence
            QueueState state = queue.state(q);
            assertThat(state.pending()).as("no job taken during the outage").isZero();
            assertThat(state.waiting()).isEqualTo(1);
        } finally {
            postgresProxy.restore();
        }

        RunRecord run = awaitRun(runId, Duration.ofSeconds(60));
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.attempt()).isEqualTo(1);
        assertThat(hits("outage")).isEqualTo(1);
        assertThat(health.isDown()).isFalse();
    }

    @Test
    void aRunThatEndsDuringAPostgresOutageIsStoredWhenItIsBackNotRunAgain() throws Exception {
        String q = "outage-mid-run";
        startWorker(q);
        UUID runId = runs.accept(UUID.randomUUID(), slowFlowId, false, payload("mid-run"), "{}", q).orElseThrow().runId();
        queue.enqueue(q, new RunJob(runId, slowFlowId, slowVersionId, null, payload("mid-run"))).join();
        await(() -> runs.find(runId).orElseThrow().status() == RunStatus.RUNNING, Duration.ofSeconds(30), "the run is claimed");

        postgresProxy.cut();
        try {
            await(() -> hits("mid-run") == 1, Duration.ofSeconds(30), "the run reaches its HTTP step during the outage");
            Thread.sleep(6_000); // three leases: long enough for its lease in Postgres to look expired
        } finally {
            postgresProxy.restore();
        }

        RunRecord run = awaitRun(runId, Duration.ofSeconds(60));
        Thread.sleep(3_000); // a wrong re-delivery (reclaim after a lease, or the sweeper) would have run by now
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(runs.find(runId).orElseThrow().attempt()).as("stored by the attempt that ran it").isEqualTo(1);
        assertThat(hits("mid-run")).as("its HTTP step ran once").isEqualTo(1);
    }

    /** The long flow's run, enqueued on {@code q} and awaited until a worker claimed it. */
    private static UUID claimedLongRun(String q, String tag) throws InterruptedException {
        UUID runId = runs.accept(UUID.randomUUID(), longFlowId, false, payload(tag), "{}", q).orElseThrow().runId();
        queue.enqueue(q, new RunJob(runId, longFlowId, longVersionId, null, payload(tag))).join();
        await(() -> runs.find(runId).orElseThrow().status() == RunStatus.RUNNING, Duration.ofSeconds(30), "the run is claimed");
        return runId;
    }

    @Test
    void aRunWhoseLeaseWentToAnotherAttemptStopsBeforeItsEffectAndStoresNothing() throws Exception {
        String q = "lease-lost";
        startWorker(q);
        UUID runId = claimedLongRun(q, "lease-lost");
        // Another attempt takes the run (as a worker would once this one's lease looked expired).
        try (Connection c = direct.dataSource().getConnection();
             PreparedStatement ps = c.prepareStatement(
                     "UPDATE runs SET attempt = attempt + 1, worker_id = 'thief', lease_until = now() + interval '10 minutes' WHERE id = ?")) {
            ps.setObject(1, runId);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }

        // Its 5 s delay outlasts the 2 s lease: the effect after it needs a heartbeat that says the run is still ours.
        Thread.sleep(8_000);
        RunRecord run = runs.find(runId).orElseThrow();
        assertThat(hits("lease-lost")).as("no effect once the run was lost").isZero();
        assertThat(run.status()).isEqualTo(RunStatus.RUNNING);
        assertThat(run.workerId()).as("nothing stored over the new holder's attempt").isEqualTo("thief");
        assertThat(queue.state(q).pending()).as("the lost attempt does not acknowledge the job").isEqualTo(1);
    }

    @Test
    void aRunStillGoingWhenTheWorkerStopsIsHandedBackAndRunByTheNext() throws Exception {
        String q = "hand-back";
        startWorker(q);
        UUID runId = claimedLongRun(q, "hand-back");

        loop.stop(); // grace 1 s: the run (5 s) is still going, so it goes back to the queue
        RunRecord back = runs.find(runId).orElseThrow();
        assertThat(back.status()).isEqualTo(RunStatus.QUEUED);
        QueueState state = queue.state(q);
        assertThat(state.waiting()).as("a new job").isEqualTo(1);
        assertThat(state.pending()).as("the old one acknowledged").isZero();
        assertThat(hits("hand-back")).as("the handed-back attempt acts no more").isZero();

        startWorker(q);
        RunRecord run = awaitRun(runId, Duration.ofSeconds(60));
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.attempt()).isEqualTo(2);
        assertThat(hits("hand-back")).isEqualTo(1);
    }
}
