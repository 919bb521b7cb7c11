package io.flowfleet.core.queue;

import io.flowfleet.core.config.RuntimeConfig;
import io.flowfleet.core.store.Claim;
import io.flowfleet.core.store.Database;
import io.flowfleet.core.store.FlowStore;
import io.flowfleet.core.flow.RunStatus;
import io.flowfleet.core.store.RunStore;
import io.flowfleet.local.LocalPostgres;
import io.flowfleet.local.LocalRedis;
import io.lettuce.core.RedisClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Jobs on real Redis streams: delivery, acknowledgement, reclaim, replies and the sweeper. */
class RunQueueTest {
    @TempDir
    static Path dir;
    static LocalRedis redis;
    static LocalPostgres postgres;
    static RedisClient client;
    static RunQueue queue;
    static Database database;

    @BeforeAll
    static void start() {
        redis = LocalRedis.start(dir.resolve("redis"));
        postgres = LocalPostgres.start(dir.resolve("pg"));
        client = RedisClient.create(redis.uri());
        queue = new RunQueue(client);
        database = Database.open(RuntimeConfig.from(Map.of(
                "AP_POSTGRES_URL", postgres.jdbcUrl(), "AP_POSTGRES_USERNAME", postgres.username(),
                "AP_POSTGRES_PASSWORD", postgres.password(), "AP_REDIS_URL", redis.uri(), "AP_S3_BUCKET", "unused")), "test");
    }

    @AfterAll
    static void stop() {
        if (database != null) database.close();
        if (queue != null) queue.close();
        if (client != null) client.shutdown();
        if (redis != null) redis.close();
        if (postgres != null) postgres.close();
    }

    private static RunJob job(String payload) {
        return new RunJob(UUID.randomUUID(), "flow", "version", null, payload);
    }

    @Test
    void aJobIsDeliveredOnceAndLeavesTheQueueWhenAcknowledged() {
        try (RunQueue.QueueConsumer worker = queue.consumer("q-basic", "w1")) {
            RunJob sent = new RunJob(UUID.randomUUID(), "flow", "version", "flowfleet:reply:app1", "{\"a\":[1,2]}");
            queue.enqueue("q-basic", sent).join();
            queue.enqueue("q-basic", job("{}")).join();
            assertThat(queue.state("q-basic").waiting()).isEqualTo(2);

            List<Delivery> first = worker.read(1, Duration.ofMillis(100));

            assertThat(first).singleElement().satisfies(d -> {
                assertThat(d.job()).isEqualTo(sent);
                assertThat(d.firstDelivery()).isTrue();
            });
            QueueState inFlight = queue.state("q-basic");
            assertThat(inFlight.waiting()).isEqualTo(1);
            assertThat(inFlight.pending()).isEqualTo(1);
            assertThat(inFlight.deliveredUpTo()).isNotNull();

            queue.ack("q-basic", first.get(0).messageId()).join();
            List<Delivery> second = worker.read(5, Duration.ofMillis(100));
            assertThat(second).hasSize(1);
            queue.ack("q-basic", second.get(0).messageId()).join();

            assertThat(queue.state("q-basic").depth()).isZero();
            assertThat(worker.read(5, Duration.ofMillis(50))).isEmpty();
        }
    }

    @Test
    void aDeadConsumersJobIsReclaimedAfterItsIdleTimeButATouchedOneIsNot() throws Exception {
        try (RunQueue.QueueConsumer dead = queue.consumer("q-reclaim", "dead");
             RunQueue.QueueConsumer alive = queue.consumer("q-reclaim", "alive")) {
            queue.enqueue("q-reclaim", job("{\"n\":1}")).join();
            queue.enqueue("q-reclaim", job("{\"n\":2}")).join();
            List<Delivery> taken = dead.read(2, Duration.ofMillis(100));
            assertThat(taken).hasSize(2);

            assertThat(alive.reclaim(10, Duration.ofSeconds(30))).as("not idle long enough yet").isEmpty();
            Thread.sleep(300); // entries must age past the idle threshold; there is nothing to await
            queue.touch("q-reclaim", "dead", List.of(taken.get(1).messageId()));
            List<Delivery> reclaimed = alive.reclaim(10, Duration.ofMillis(250));

            assertThat(reclaimed).extracting(Delivery::messageId).containsExactly(taken.get(0).messageId());
            assertThat(reclaimed.get(0).reclaimed()).isTrue();
            assertThat(reclaimed.get(0).firstDelivery()).as("its run may have started on the dead consumer").isFalse();
            assertThat(reclaimed.get(0).job().payloadJson()).isEqualTo("{\"n\":1}");
        }
    }

    @Test
    void aJobRefusedForALiveLeaseIsReclaimableWhenThatLeaseEndsNotAWholeLeaseLater() {
        Duration lease = Duration.ofSeconds(30);
        try (RunQueue.QueueConsumer taker = queue.consumer("q-refused", "taker");
             RunQueue.QueueConsumer other = queue.consumer("q-refused", "other")) {
            queue.enqueue("q-refused", job("{\"n\":1}")).join();
            queue.enqueue("q-refused", job("{\"n\":2}")).join();
            List<Delivery> taken = taker.read(2, Duration.ofMillis(100));
            assertThat(taken).hasSize(2);

            // Both claims were refused: the first run's holder has 20 s of lease left, the second's none.
            queue.reclaimableAfter("q-refused", "taker", taken.get(0).messageId(), Duration.ofSeconds(20), lease);
            queue.reclaimableAfter("q-refused", "taker", taken.get(1).messageId(), Duration.ZERO, lease);

            assertThat(other.reclaim(10, lease)).extracting(Delivery::messageId)
                    .as("reclaimable at once when the holder's lease has run out; the other in 20 s")
                    .containsExactly(taken.get(1).messageId());
        }
    }

    @Test
    void aReplyReachesTheAppWaitingForThatRunOnly() throws Exception {
        try (ReplyChannel app = new ReplyChannel(client, "app-" + UUID.randomUUID());
             ReplyPublisher worker = new ReplyPublisher(client)) {
            UUID mine = UUID.randomUUID();
            CompletableFuture<Reply> waiting = app.expect(mine);

            assertThat(worker.publish(app.name(), Reply.response(UUID.randomUUID(), 200, Map.of(), "{}")).join()).isEqualTo(1);
            assertThat(worker.publish(app.name(), Reply.response(mine, 201, Map.of("x-sum", "6"), "{\"sum\":6}")).join()).isEqualTo(1);

            Reply reply = waiting.get(5, TimeUnit.SECONDS);
            assertThat(reply.status()).isEqualTo(201);
            assertThat(reply.headers()).containsEntry("x-sum", "6");
            assertThat(reply.body()).isEqualTo("{\"sum\":6}");
            assertThat(app.waitingCount()).isZero();

            UUID failing = UUID.randomUUID();
            CompletableFuture<Reply> failed = app.expect(failing);
            worker.publish(app.name(), Reply.failure(failing, "step math: division by zero")).join();
            assertThat(failed.get(5, TimeUnit.SECONDS)).satisfies(r -> {
                assertThat(r.failed()).isTrue();
                assertThat(r.error()).isEqualTo("step math: division by zero");
            });
        }
    }

    @Test
    void theSweeperEnqueuesAgainARunWhoseJobRedisLost() {
        FlowStore flows = new FlowStore(database.dataSource());
        RunStore runs = new RunStore(database.dataSource());
        String flowId = UUID.randomUUID().toString();
        flows.create(flowId, "p", "f", "flowfleet", "{}");
        flows.publish(flowId, flowId + "-v", "{}", "k").orElseThrow();
        UUID lost = runs.accept(UUID.randomUUID(), flowId, false, "{\"lost\":true}", "{}", "q-sweep").orElseThrow().runId();
        // Its XADD never happened (Redis lost it). Lease zero: every open run older than now counts.
        RunSweeper sweeper = new RunSweeper(runs, queue, "q-sweep", Duration.ZERO);

        assertThat(sweeper.sweepOnce()).isEqualTo(1);

        try (RunQueue.QueueConsumer worker = queue.consumer("q-sweep", "w")) {
            List<Delivery> delivered = worker.read(10, Duration.ofMillis(200));
            assertThat(delivered).singleElement().satisfies(d -> {
                assertThat(d.job().runId()).isEqualTo(lost);
                assertThat(d.job().payloadJson()).isEqualTo("{\"lost\": true}");
                assertThat(d.job().redelivery()).isTrue();
                assertThat(d.firstDelivery()).isFalse();
            });
            Claim claim = runs.claim(lost, "w", Duration.ofSeconds(30)).orElseThrow();
            assertThat(claim.attempt()).isEqualTo(1);
            assertThat(runs.find(lost).orElseThrow().status()).isEqualTo(RunStatus.RUNNING);
            assertThat(sweeper.sweepOnce()).as("a run with a live lease is not swept").isZero();
        }
    }

    @Test
    void aSweptSyncRunStillAnswersItsCallersChannel() {
        FlowStore flows = new FlowStore(database.dataSource());
        RunStore runs = new RunStore(database.dataSource());
        String flowId = UUID.randomUUID().toString();
        flows.create(flowId, "p", "f", "flowfleet", "{}");
        flows.publish(flowId, flowId + "-v", "{}", "k").orElseThrow();
        UUID lost = runs.accept(UUID.randomUUID(), flowId, "flowfleet:reply:app-7", "{}", "{}", "q-sweep-sync").orElseThrow().runId();
        assertThat(runs.find(lost).orElseThrow().sync()).isTrue();

        assertThat(new RunSweeper(runs, queue, "q-sweep-sync", Duration.ZERO).sweepOnce()).isEqualTo(1);

        try (RunQueue.QueueConsumer worker = queue.consumer("q-sweep-sync", "w")) {
            assertThat(worker.read(10, Duration.ofMillis(200))).singleElement()
                    .satisfies(d -> assertThat(d.job().replyTo()).isEqualTo("flowfleet:reply:app-7"));
        }
    }

    @Test
    void theSweeperLeavesAloneARunItsLiveHolderStillMarksAsHeld() {
        FlowStore flows = new FlowStore(database.dataSource());
        RunStore runs = new RunStore(database.dataSource());
        String flowId = UUID.randomUUID().toString();
        flows.create(flowId, "p", "f", "flowfleet", "{}");
        flows.publish(flowId, flowId + "-v", "{}", "k").orElseThrow();
        UUID held = runs.accept(UUID.randomUUID(), flowId, false, "{}", "{}", "q-sweep-held").orElseThrow().runId();
        UUID abandoned = runs.accept(UUID.randomUUID(), flowId, false, "{}", "{}", "q-sweep-held").orElseThrow().runId();
        // Both claimed with a lease already over: Postgres alone cannot tell a dead holder from one it could not hear.
        runs.claim(held, "alive", Duration.ZERO).orElseThrow();
        runs.claim(abandoned, "dead", Duration.ZERO).orElseThrow();
        queue.markHeld(List.of(held), Duration.ofSeconds(30));

        assertThat(new RunSweeper(runs, queue, "q-sweep-held", Duration.ZERO).sweepOnce()).isEqualTo(1);

        try (RunQueue.QueueConsumer worker = queue.consumer("q-sweep-held", "w")) {
            assertThat(worker.read(10, Duration.ofMillis(200))).singleElement()
                    .satisfies(d -> assertThat(d.job().runId()).isEqualTo(abandoned));
        }
    }
}
