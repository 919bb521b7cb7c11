package io.flowfleet.chaos;

import io.flowfleet.chaos.ChaosRecords.Call;
import io.flowfleet.chaos.ChaosRecords.Fault;
import io.flowfleet.chaos.ChaosRecords.Hit;
import io.flowfleet.chaos.ChaosRecords.Run;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Turns what the suite observed (calls, Postgres's runs and terminal writes, counter hits, fault
 * windows) into the figures of chaos.json. Pure: no I/O, no clock. Definitions in docs/chaos.md.
 */
public final class ChaosAccounting {

    /** Slack around a run's execution window when matching it with fault windows (clock reads, log lag). */
    static final Duration WINDOW_SLACK = Duration.ofSeconds(1);

    private ChaosAccounting() {
    }

    /**
     * @param calls every webhook call sent
     * @param runs every run of the suite's flows in Postgres (by payload marker), after settling
     * @param terminalWrites per run id, how many times a terminal result was written to its row
     * @param hits every request the counter received
     * @param faults every fault injected, with its window
     */
    public static ChaosReport account(Collection<Call> calls, Collection<Run> runs, Map<String, Integer> terminalWrites,
                                      Collection<Hit> hits, Collection<Fault> faults) {
        Map<String, Run> runsById = runs.stream().collect(Collectors.toMap(Run::runId, Function.identity(), (a, b) -> a));
        Map<String, Run> runsByKey = runs.stream().collect(Collectors.toMap(Run::key, Function.identity(), (a, b) -> a));

        List<ChaosReport.FaultCount> faultCounts = new ArrayList<>();
        for (FaultKind kind : FaultKind.values()) {
            faultCounts.add(new ChaosReport.FaultCount(kind.id(), faults.stream().filter(f -> f.kind() == kind).count()));
        }

        long accepted = 0;
        long lost = 0;
        Map<String, Long> terminal = new TreeMap<>();
        for (Call call : calls) {
            if (!call.accepted()) {
                continue;
            }
            accepted++;
            Run run = runsById.get(call.runId());
            if (run == null || !run.terminal()) {
                lost++;
            } else {
                terminal.merge(run.status(), 1L, Long::sum);
            }
        }
        long stuck = runs.stream().filter(run -> !run.terminal()).count();
        long storedTwice = terminalWrites.values().stream().filter(count -> count > 1).count();

        ChaosReport.SideEffects sideEffects = sideEffects(hits, runsByKey, faults);
        ChaosReport.Sync sync = sync(calls, runsById, runsByKey, faults);
        return new ChaosReport(faultCounts, accepted, terminal, lost, stuck, storedTwice, sideEffects, sync);
    }

    private static ChaosReport.SideEffects sideEffects(Collection<Hit> hits, Map<String, Run> runsByKey, Collection<Fault> faults) {
        Map<String, List<Hit>> byRunAndStep = new LinkedHashMap<>();
        Map<String, List<Hit>> byRun = new HashMap<>();
        for (Hit hit : hits) {
            byRunAndStep.computeIfAbsent(hit.key() + "\u0000" + hit.step(), k -> new ArrayList<>()).add(hit);
            byRun.computeIfAbsent(hit.key(), k -> new ArrayList<>()).add(hit);
        }
        long repeated = 0;
        long repeatedWithoutWorkerDeath = 0;
        for (List<Hit> sameStep : byRunAndStep.values()) {
            int extra = sameStep.size() - 1;
            if (extra <= 0) {
                continue;
            }
            repeated += extra;
            String key = sameStep.getFirst().key();
            if (!excused(executionWindow(runsByKey.get(key), byRun.get(key)), faults)) {
                repeatedWithoutWorkerDeath += extra;
            }
        }
        return new ChaosReport.SideEffects(hits.size(), repeated, repeatedWithoutWorkerDeath);
    }

    /**
     * The repeats without a worker death, by the fault that most recently began before each
     * repeated hit ("none" when no fault had yet): which fault to look at first.
     */
    static Map<String, Long> unexcusedRepeatsByLatestFault(Collection<Hit> hits, Collection<Run> runs, Collection<Fault> faults) {
        Map<String, Run> runsByKey = runs.stream().collect(Collectors.toMap(Run::key, Function.identity(), (a, b) -> a));
        Map<String, List<Hit>> byRunAndStep = new LinkedHashMap<>();
        Map<String, List<Hit>> byRun = new HashMap<>();
        for (Hit hit : hits) {
            byRunAndStep.computeIfAbsent(hit.key() + "\u0000" + hit.step(), k -> new ArrayList<>()).add(hit);
            byRun.computeIfAbsent(hit.key(), k -> new ArrayList<>()).add(hit);
        }
        Map<String, Long> causes = new TreeMap<>();
        for (List<Hit> sameStep : byRunAndStep.values()) {
            if (sameStep.size() < 2) {
                continue;
            }
            String key = sameStep.getFirst().key();
            if (excused(executionWindow(runsByKey.get(key), byRun.get(key)), faults)) {
                continue;
            }
            List<Hit> inOrder = sameStep.stream().sorted(java.util.Comparator.comparing(Hit::at)).toList();
            for (Hit repeat : inOrder.subList(1, inOrder.size())) {
                String cause = faults.stream().filter(fault -> !fault.start().isAfter(repeat.at()))
                        .max(java.util.Comparator.comparing(Fault::start))
                        .map(fault -> fault.kind().id()).orElse("none");
                causes.merge(cause, 1L, Long::sum);
            }
        }
        return causes;
    }

    /**
     * For chaos.md's notes: per worker fault, the sync callers in flight when it struck whose run was
     * delivered again, how many got a 2xx, and the longest wait for an answer (sent to answered).
     */
    static List<String> syncAfterWorkerFaults(Collection<Call> calls, Collection<Run> runs, Collection<Fault> faults) {
        Map<String, Run> runsById = runs.stream().collect(Collectors.toMap(Run::runId, Function.identity(), (a, b) -> a));
        Map<String, Run> runsByKey = runs.stream().collect(Collectors.toMap(Run::key, Function.identity(), (a, b) -> a));
        List<String> lines = new ArrayList<>();
        for (Fault fault : faults.stream().filter(f -> f.kind().isWorkerFault()).sorted(java.util.Comparator.comparing(Fault::start)).toList()) {
            long redelivered = 0;
            long answered = 0;
            Duration longest = Duration.ZERO;
            for (Call call : calls) {
                Instant end = call.answered() != null ? call.answered() : Instant.MAX;
                if (!call.sync() || fault.start().isBefore(call.sent()) || !fault.start().isBefore(end)) {
                    continue;
                }
                Run run = call.runId() != null ? runsById.get(call.runId()) : runsByKey.get(call.key());
                if (run == null || run.attempt() < 2) {
                    continue;
                }
                redelivered++;
                if (call.outcome().startsWith("2")) {
                    answered++;
                }
                if (call.answered() != null && Duration.between(call.sent(), call.answered()).compareTo(longest) > 0) {
                    longest = Duration.between(call.sent(), call.answered());
                }
            }
            lines.add(fault.kind().id() + " (" + fault.target() + "): " + answered + " of " + redelivered
                    + " re-delivered sync callers answered 2xx, the longest after " + longest.toMillis() / 100 / 10.0 + " s");
        }
        return lines;
    }

    /** Hits whose Idempotency-Key an earlier hit already carried: repeats a receiver could recognise and drop. */
    static long droppableRepeats(Collection<Hit> hits) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        return hits.stream()
                .filter(hit -> hit.idempotencyKey() != null)
                .sorted(java.util.Comparator.comparing(Hit::at))
                .filter(hit -> !seen.add(hit.idempotencyKey()))
                .count();
    }

    /** From the run's creation (or its first hit) to its end (or its last hit, whichever is later). */
    static Instant[] executionWindow(Run run, List<Hit> hits) {
        Instant from = hits.stream().map(Hit::at).min(Instant::compareTo).orElseThrow();
        Instant to = hits.stream().map(Hit::at).max(Instant::compareTo).orElseThrow();
        if (run != null) {
            if (run.created() != null && run.created().isBefore(from)) {
                from = run.created();
            }
            if (run.finished() != null && run.finished().isAfter(to)) {
                to = run.finished();
            }
        }
        return new Instant[] {from.minus(WINDOW_SLACK), to.plus(WINDOW_SLACK)};
    }

    private static boolean excused(Instant[] window, Collection<Fault> faults) {
        return faults.stream().anyMatch(fault -> fault.kind().excusesRepeats() && fault.overlaps(window[0], window[1]));
    }

    private static ChaosReport.Sync sync(Collection<Call> calls, Map<String, Run> runsById, Map<String, Run> runsByKey,
                                         Collection<Fault> faults) {
        List<Call> syncCalls = calls.stream().filter(Call::sync).toList();
        Map<String, Long> byStatus = new TreeMap<>();
        long hung = 0;
        long inFlight = 0;
        long answered = 0;
        long notAnswered = 0;
        for (Call call : syncCalls) {
            byStatus.merge(call.outcome(), 1L, Long::sum);
            if (Call.NO_ANSWER.equals(call.outcome())) {
                hung++;
            }
            Instant end = call.answered() != null ? call.answered() : Instant.MAX;
            boolean workerDiedMeanwhile = faults.stream().anyMatch(fault -> fault.kind().isWorkerFault()
                    && !fault.start().isBefore(call.sent()) && fault.start().isBefore(end));
            if (!workerDiedMeanwhile) {
                continue;
            }
            Run run = call.runId() != null ? runsById.get(call.runId()) : runsByKey.get(call.key());
            if (run == null || run.attempt() < 2) {
                continue; // the fault struck elsewhere: this caller's run was never re-delivered
            }
            inFlight++;
            if (call.outcome().startsWith("2")) {
                answered++;
            } else {
                notAnswered++;
            }
        }
        return new ChaosReport.Sync(syncCalls.size(), byStatus, hung, answered, inFlight, notAnswered);
    }
}
