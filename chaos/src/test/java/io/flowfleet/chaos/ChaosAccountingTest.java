package io.flowfleet.chaos;

import io.flowfleet.chaos.ChaosRecords.Call;
import io.flowfleet.chaos.ChaosRecords.Fault;
import io.flowfleet.chaos.ChaosRecords.Hit;
import io.flowfleet.chaos.ChaosRecords.Run;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The figures of chaos.json from hand-made observations. */
class ChaosAccountingTest {

    private static final Instant T0 = Instant.parse("2026-12-02T12:00:00Z");

    private static Instant at(double seconds) {
        return T0.plusMillis((long) (seconds * 1000));
    }

    @Test
    void acceptedRunsAreTerminalLostOrStuck() {
        List<Call> calls = List.of(
                new Call("k1", "quick", false, at(0), at(0.1), "200", "r1"),
                new Call("k2", "quick", false, at(1), at(1.1), "200", "r2"),       // stored, never ended
                new Call("k3", "quick", false, at(2), at(2.1), "200", "r3"),       // absent from Postgres
                new Call("k4", "quick", false, at(3), at(3.1), "503", "r4"),       // not accepted
                new Call("k5", "quick", false, at(4), at(4.1), "connection-error", null));
        List<Run> runs = List.of(
                new Run("r1", "k1", "SUCCEEDED", 1, at(0), at(0.5)),
                new Run("r2", "k2", "RUNNING", 1, at(1), null),
                new Run("r4", "k4", "QUEUED", 0, at(3), null));

        ChaosReport report = ChaosAccounting.account(calls, runs, Map.of("r1", 1), List.of(), List.of());

        assertThat(report.accepted()).isEqualTo(3);
        assertThat(report.terminal()).containsExactly(Map.entry("SUCCEEDED", 1L));
        assertThat(report.lost()).isEqualTo(2);   // r2 never terminal, r3 never stored
        assertThat(report.stuck()).isEqualTo(2);  // r2 and r4, accepted or not
        assertThat(report.storedTwice()).isZero();
        assertThat(report.misses()).anyMatch(miss -> miss.contains("lost")).anyMatch(miss -> miss.contains("stuck"));
    }

    @Test
    void aRunWithTwoTerminalWritesIsStoredTwice() {
        ChaosReport report = ChaosAccounting.account(List.of(), List.of(), Map.of("r1", 2, "r2", 1, "r3", 3),
                List.of(), List.of());

        assertThat(report.storedTwice()).isEqualTo(2);
    }

    @Test
    void repeatsAreExcusedOnlyByAWorkerFaultDuringTheRun() {
        List<Run> runs = List.of(
                new Run("r1", "k1", "SUCCEEDED", 2, at(0), at(40)),   // a worker was killed at 10 s
                new Run("r2", "k2", "SUCCEEDED", 1, at(100), at(101)), // re-run after Redis came back stale
                new Run("r3", "k3", "SUCCEEDED", 1, at(200), at(201)),
                new Run("r4", "k4", "SUCCEEDED", 1, at(300), at(301))); // re-run while the app was down

        List<Hit> hits = List.of(
                new Hit("k1", "effect_a", null, at(1)), new Hit("k1", "effect_a", null, at(39)),
                new Hit("k1", "effect_b", null, at(39.5)),
                new Hit("k2", "effect_a", "k2:effect_a", at(100.2)), new Hit("k2", "effect_a", "k2:effect_a", at(150)),
                new Hit("k2", "effect_a", "k2:effect_a", at(151)),
                new Hit("k3", "effect_a", null, at(200.5)),
                new Hit("k4", "effect_a", null, at(300.2)), new Hit("k4", "effect_a", null, at(300.8)));
        List<Fault> faults = List.of(
                new Fault(FaultKind.WORKER_KILL, "worker-1", at(10), at(20)),
                new Fault(FaultKind.REDIS_RESTART_STALE, "redis", at(149), at(150)),
                new Fault(FaultKind.APP_KILL, "app", at(299), at(305)));

        ChaosReport report = ChaosAccounting.account(List.of(), runs, Map.of(), hits, faults);

        assertThat(report.sideEffects().executions()).isEqualTo(9);
        assertThat(report.sideEffects().repeated()).isEqualTo(4);                  // k1 once, k2 twice, k4 once
        assertThat(report.sideEffects().repeatedWithoutWorkerDeath()).isEqualTo(3); // Redis and the app excuse nothing
        assertThat(report.faults()).extracting(ChaosReport.FaultCount::kind).containsExactly("worker-kill", "worker-pause",
                "worker-term", "redis-restart-stale", "redis-restart-empty", "postgres-crash", "app-kill");
        assertThat(report.faults()).extracting(ChaosReport.FaultCount::count).containsExactly(1L, 0L, 0L, 1L, 0L, 0L, 1L);
        assertThat(ChaosAccounting.droppableRepeats(hits)).isEqualTo(2);
        assertThat(ChaosAccounting.unexcusedRepeatsByLatestFault(hits, runs, faults))
                .containsExactly(Map.entry("app-kill", 1L), Map.entry("redis-restart-stale", 2L));
        assertThat(report.misses()).contains("fault worker-pause was not injected")
                .contains("3 side effect(s) repeated without a worker death");
    }

    @Test
    void syncCallersByStatusHungAndAnsweredAfterAWorkerDeath() {
        List<Call> calls = List.of(
                new Call("k1", "long", true, at(0), at(35), "200", "r1"),    // worker killed at 2 s, re-delivered, answered
                new Call("k2", "long", true, at(1), at(31), "408", "r2"),    // worker killed at 2 s, re-delivered too late
                new Call("k3", "quick", true, at(1), at(1.2), "200", "r3"),  // done before the kill
                new Call("k4", "long", true, at(1.5), null, Call.NO_ANSWER, null),
                new Call("k5", "long", true, at(1.8), at(6), "200", "r5"),   // in flight, but another worker ran it
                new Call("k6", "quick", false, at(1), at(1.1), "200", "r6"));
        List<Run> runs = List.of(
                new Run("r1", "k1", "SUCCEEDED", 2, at(0), at(35)),
                new Run("r2", "k2", "SUCCEEDED", 2, at(1), at(40)),
                new Run("r3", "k3", "SUCCEEDED", 1, at(1), at(1.2)),
                new Run("r4", "k4", "SUCCEEDED", 2, at(1.5), at(50)),
                new Run("r5", "k5", "SUCCEEDED", 1, at(1.8), at(6)),
                new Run("r6", "k6", "SUCCEEDED", 1, at(1), at(1.1)));
        List<Fault> faults = List.of(new Fault(FaultKind.WORKER_KILL, "worker-2", at(2), at(12)));

        ChaosReport.Sync sync = ChaosAccounting.account(calls, runs, Map.of(), List.of(), faults).sync();

        assertThat(sync.sent()).isEqualTo(5);
        assertThat(sync.byStatus()).containsExactly(Map.entry("200", 3L), Map.entry("408", 1L), Map.entry(Call.NO_ANSWER, 1L));
        assertThat(sync.hung()).isEqualTo(1);
        assertThat(sync.inFlightAtWorkerDeath()).isEqualTo(3);   // k1, k2, k4 (found by its marker)
        assertThat(sync.answeredAfterWorkerDeath()).isEqualTo(1);
        assertThat(sync.notAnsweredAfterWorkerDeath()).isEqualTo(2);
    }

    @Test
    void theJsonHasExactlyTheShapeOfTheIssue() throws Exception {
        ChaosReport report = ChaosAccounting.account(
                List.of(new Call("k1", "quick", true, at(0), at(0.1), "200", "r1")),
                List.of(new Run("r1", "k1", "SUCCEEDED", 1, at(0), at(0.1))), Map.of("r1", 1),
                List.of(new Hit("k1", "effect_a", null, at(0.05))), List.of());

        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(ChaosReportWriter.json(report));

        assertThat(json.fieldNames()).toIterable().containsExactly("faults", "accepted", "terminal", "lost", "stuck",
                "storedTwice", "sideEffects", "sync");
        assertThat(json.get("faults")).hasSize(7);
        assertThat(json.at("/faults/0/kind").asText()).isEqualTo("worker-kill");
        assertThat(json.at("/faults/0/count").asLong()).isZero();
        assertThat(json.at("/terminal/SUCCEEDED").asLong()).isEqualTo(1);
        assertThat(json.get("sideEffects").fieldNames()).toIterable()
                .containsExactly("executions", "repeated", "repeatedWithoutWorkerDeath");
        assertThat(json.get("sync").fieldNames()).toIterable()
                .containsExactly("sent", "byStatus", "hung", "answeredAfterWorkerDeath");
        assertThat(json.at("/sync/byStatus/200").asLong()).isEqualTo(1);
    }
}
