package io.flowfleet.core.store;

import io.flowfleet.core.flow.RunStatus;
import io.flowfleet.core.config.RuntimeConfig;
import io.flowfleet.local.LocalPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The run lifecycle on a real Postgres: every transition is conditional, so a run ends exactly once. */
class RunStoreTest {
    private static final Duration LEASE = Duration.ofSeconds(30);
    private static final String NO_ROUTES = "{}";

    @TempDir
    static Path dir;
    static LocalPostgres postgres;
    static Database database;
    static FlowStore flows;
    static RunStore runs;

    @BeforeAll
    static void start() {
        postgres = LocalPostgres.start(dir.resolve("pg"));
        database = Database.open(RuntimeConfig.from(Map.of(
                "AP_POSTGRES_URL", postgres.jdbcUrl(), "AP_POSTGRES_USERNAME", postgres.username(),
                "AP_POSTGRES_PASSWORD", postgres.password(), "AP_REDIS_URL", "redis://unused:6379", "AP_S3_BUCKET", "unused")), "test");
        flows = new FlowStore(database.dataSource());
        runs = new RunStore(database.dataSource(), database.relaxedDataSource());
    }

    @AfterAll
    static void stop() {
        if (database != null) database.close();
        if (postgres != null) postgres.close();
    }

    private static String publishedFlow(String projectId) {
        String id = UUID.randomUUID().toString();
        flows.create(id, projectId, "sum", "flowfleet", "{\"steps\":[]}");
        flows.publish(id, id + "-v1", "{\"steps\":[]}", "bundles/" + id + "/v1.json").orElseThrow();
        return id;
    }

    @Test
    void flowLifecycleFromDraftToTombstone() {
        String id = UUID.randomUUID().toString();
        FlowRecord draft = flows.create(id, "p1", "hello", "flowfleet", "{\"a\":1}");
        assertThat(draft.status()).isEqualTo(FlowStatus.DRAFT);
        assertThat(flows.setEnabled(id, true)).as("a never-published flow cannot be enabled").isFalse();

        assertThat(flows.publish(id, "v-1", "{\"a\":1}", "k1")).get().extracting(FlowVersionRecord::version).isEqualTo(1);
        assertThat(flows.updateDraft(id, "hello", "flowfleet", "{\"a\":2}")).isPresent();
        assertThat(flows.publish(id, "v-2", "{\"a\":2}", "k2")).get().extracting(FlowVersionRecord::version).isEqualTo(2);
        FlowRecord published = flows.find(id).orElseThrow();
        assertThat(published.status()).isEqualTo(FlowStatus.ENABLED);
        assertThat(published.publishedVersionId()).isEqualTo("v-2");
        assertThat(published.publishedVersion()).isEqualTo(2);
        assertThat(flows.findVersion("v-1").orElseThrow().definitionJson()).isEqualTo("{\"a\": 1}");

        assertThat(flows.setEnabled(id, false)).isTrue();
        assertThat(flows.find(id).orElseThrow().status()).isEqualTo(FlowStatus.DISABLED);
        assertThat(flows.delete(id)).isTrue();
        assertThat(flows.delete(id)).isFalse();
        assertThat(flows.updateDraft(id, "x", "flowfleet", "{}")).isEmpty();
        assertThat(flows.publish(id, "v-3", "{}", "k3")).isEmpty();
        assertThat(flows.find(id).orElseThrow().status()).isEqualTo(FlowStatus.DELETED);
    }

    @Test
    void acceptStoresAQueuedRunOnlyForAnEnabledFlowAndRoutesItsProject() {
        String routed = publishedFlow("gold-project");
        String plain = publishedFlow("other-project");
        String routes = "{\"gold-project\":\"gold\"}";

        AcceptedRun a = runs.accept(UUID.randomUUID(), routed, true, "{\"x\":1}", routes, "default").orElseThrow();
        AcceptedRun b = runs.accept(UUID.randomUUID(), plain, false, "{}", routes, "default").orElseThrow();

        assertThat(a.queue()).isEqualTo("gold");
        assertThat(a.flowVersionId()).isEqualTo(routed + "-v1");
        assertThat(b.queue()).isEqualTo("default");
        RunRecord stored = runs.find(a.runId()).orElseThrow();
        assertThat(stored.status()).isEqualTo(RunStatus.QUEUED);
        assertThat(stored.sync()).isTrue();
        assertThat(stored.payloadJson()).isEqualTo("{\"x\": 1}");

        flows.setEnabled(plain, false);
        UUID refused = UUID.randomUUID();
        assertThat(runs.accept(refused, plain, false, "{}", NO_ROUTES, "default")).isEmpty();
        assertThat(runs.accept(refused, "no-such-flow", false, "{}", NO_ROUTES, "default")).isEmpty();
        assertThat(runs.find(refused)).as("a refused webhook leaves no run behind").isEmpty();
    }

    @Test
    void aRunIsClaimedOnceAndCompletedOnceWithItsSteps() {
        String flow = publishedFlow("p");
        UUID runId = runs.accept(UUID.randomUUID(), flow, false, "{}", NO_ROUTES, "default").orElseThrow().runId();

        Claim claim = runs.claim(runId, "w1", LEASE).orElseThrow();
        assertThat(claim.attempt()).isEqualTo(1);
        assertThat(runs.claim(runId, "w2", LEASE)).as("a live lease keeps other workers out").isEmpty();

        List<StepOutputRecord> steps = List.of(
                new StepOutputRecord(0, "trigger", "SUCCEEDED", "{\"a\":1}", null, null, 5),
                new StepOutputRecord(1, "big", "SUCCEEDED", null, "runs/x/1/steps/1.json", null, 7));
        RunOutcome outcome = new RunOutcome(runId, 1, "w1", RunStatus.SUCCEEDED, "{\"sum\":6}", null, steps);
        assertThat(runs.complete(outcome)).isTrue();
        assertThat(runs.complete(outcome)).as("a second terminal write is refused").isFalse();
        assertThat(runs.complete(new RunOutcome(runId, 1, "w1", RunStatus.FAILED, null, "late", List.of()))).isFalse();

        RunRecord done = runs.find(runId).orElseThrow();
        assertThat(done.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(done.responseJson()).isEqualTo("{\"sum\": 6}");
        assertThat(done.finishedAt()).isNotNull();
        assertThat(done.steps()).extracting(StepOutputRecord::stepName).containsExactly("trigger", "big");
        assertThat(done.steps().get(0).outputJson()).isEqualTo("{\"a\": 1}");
        assertThat(done.steps().get(1).outputRef()).isEqualTo("runs/x/1/steps/1.json");
        assertThat(runs.claim(runId, "w3", LEASE)).as("a terminal run is never claimed again").isEmpty();
        assertThat(runs.listByFlow(flow, 10)).extracting(RunRecord::id).containsExactly(runId);
    }

    @Test
    void aRefusedClaimSaysWhetherTheRunEndedOrIsHeldElsewhere() {
        String flow = publishedFlow("p");
        UUID runId = runs.accept(UUID.randomUUID(), flow, false, "{}", NO_ROUTES, "default").orElseThrow().runId();

        assertThat(runs.tryClaim(runId, "w1", LEASE)).isInstanceOfSatisfying(ClaimResult.Claimed.class,
                c -> assertThat(c.claim().attempt()).isEqualTo(1));
        assertThat(runs.tryClaim(runId, "w2", LEASE)).isInstanceOfSatisfying(ClaimResult.Refused.class, refused -> {
            assertThat(refused.status()).isEqualTo(RunStatus.RUNNING);
            assertThat(refused.leaseLeft()).as("the holder's lease left").isPositive().isLessThanOrEqualTo(LEASE);
        });
        assertThat(runs.complete(new RunOutcome(runId, 1, "w1", RunStatus.SUCCEEDED, null, null, List.of()))).isTrue();
        assertThat(runs.tryClaim(runId, "w2", LEASE)).isEqualTo(new ClaimResult.Refused(RunStatus.SUCCEEDED));
        assertThat(runs.tryClaim(UUID.randomUUID(), "w2", LEASE)).as("no such run").isEqualTo(new ClaimResult.Refused(null));
        assertThat(runs.find(runId).orElseThrow().attempt()).as("refusals change nothing").isEqualTo(1);
    }

    @Test
    void anExpiredLeaseLetsAnotherWorkerTakeOverAndTheOldAttemptCannotFinish() throws Exception {
        String flow = publishedFlow("p");
        UUID runId = runs.accept(UUID.randomUUID(), flow, false, "{}", NO_ROUTES, "default").orElseThrow().runId();
        Claim first = runs.claim(runId, "dead-worker", LEASE).orElseThrow();
        assertThat(runs.checkpoint(first, List.of(new StepOutputRecord(0, "trigger", "SUCCEEDED", "{}", null, null, 1)))).isTrue();
        expireLease(runId);

        assertThat(runs.find(runId).orElseThrow().steps()).as("a running run shows its checkpoint")
                .singleElement().satisfies(s -> {
                    assertThat(s.stepName()).isEqualTo("trigger");
                    assertThat(s.outputJson()).isEqualTo("{}");
                });
        Claim second = runs.claim(runId, "w2", LEASE).orElseThrow();

        assertThat(second.attempt()).isEqualTo(2);
        assertThat(second.checkpointJson()).contains("trigger");
        assertThat(runs.complete(new RunOutcome(runId, 1, "dead-worker", RunStatus.SUCCEEDED, null, null, List.of()))).isFalse();
        assertThat(runs.extendLeases("dead-worker", List.of(runId), LEASE)).isEmpty();
        assertThat(runs.extendLeases("w2", List.of(runId), LEASE)).containsExactly(runId);
        assertThat(runs.complete(new RunOutcome(runId, 2, "w2", RunStatus.FAILED, null, "boom", List.of()))).isTrue();
        assertThat(runs.find(runId).orElseThrow().error()).isEqualTo("boom");
    }

    @Test
    void handedBackRunsAreQueuedAgainAndLostRunsAreSweptOncePerPass() throws Exception {
        String flow = publishedFlow("sweep-project");
        String routes = "{\"sweep-project\":\"sweepq\"}";
        UUID queued = runs.accept(UUID.randomUUID(), flow, false, "{\"n\":1}", routes, "default").orElseThrow().runId();
        UUID running = runs.accept(UUID.randomUUID(), flow, true, "{}", routes, "default").orElseThrow().runId();
        UUID handedBack = runs.accept(UUID.randomUUID(), flow, false, "{}", routes, "default").orElseThrow().runId();
        runs.claim(running, "gone", LEASE).orElseThrow();
        Claim back = runs.claim(handedBack, "stopping", LEASE).orElseThrow();
        assertThat(runs.handBack(back)).isTrue();
        assertThat(runs.find(handedBack).orElseThrow().status()).isEqualTo(RunStatus.QUEUED);

        assertThat(runs.sweep("sweepq", Instant.now().minusSeconds(60), LEASE, 100))
                .as("recent runs and live leases are left alone").isEmpty();

        expireLease(running);
        execute("UPDATE runs SET lease_until = now() - interval '1 hour' WHERE id = '" + running + "'");
        List<LostRun> lost = runs.sweep("sweepq", Instant.now().plusSeconds(1), LEASE, 100);

        assertThat(lost).extracting(LostRun::runId).containsExactlyInAnyOrder(queued, running, handedBack);
        assertThat(lost).filteredOn(r -> r.runId().equals(queued)).singleElement()
                .satisfies(r -> assertThat(r.payloadJson()).isEqualTo("{\"n\": 1}"));
        assertThat(runs.sweep("other-queue", Instant.now().plusSeconds(1), LEASE, 100)).isEmpty();
    }

    @Test
    void onlyTheRelaxedPoolCommitsWithoutWaitingForTheWalFlush() throws Exception {
        assertThat(setting(database.dataSource())).isEqualTo("on");
        assertThat(setting(database.relaxedDataSource())).isEqualTo("off");
    }

    private static String setting(javax.sql.DataSource ds) throws Exception {
        try (Connection c = ds.getConnection(); Statement s = c.createStatement();
             var rs = s.executeQuery("SHOW synchronous_commit")) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void expireLease(UUID runId) throws Exception {
        execute("UPDATE runs SET lease_until = now() - interval '1 second' WHERE id = '" + runId + "'");
    }

    private static void execute(String sql) throws Exception {
        try (Connection c = database.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
