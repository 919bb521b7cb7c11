package io.flowfleet.chaos;

import java.util.List;
import java.util.Map;

/** The figures of chaos.json, and the targets they missed. */
public record ChaosReport(List<FaultCount> faults, long accepted, Map<String, Long> terminal, long lost, long stuck,
                          long storedTwice, SideEffects sideEffects, Sync sync) {

    public record FaultCount(String kind, long count) {
    }

    public record SideEffects(long executions, long repeated, long repeatedWithoutWorkerDeath) {
    }

    /**
     * Sync callers. {@code inFlightAtWorkerDeath}: callers waiting when a worker fault struck
     * (shown in chaos.md, not in chaos.json); {@code answeredAfterWorkerDeath}: those of them whose
     * run was delivered again (attempt 2 or more) and who still got a 2xx.
     */
    public record Sync(long sent, Map<String, Long> byStatus, long hung, long answeredAfterWorkerDeath,
                       long inFlightAtWorkerDeath, long notAnsweredAfterWorkerDeath) {
    }

    /** Each target this report misses, in words (empty: every target met). */
    public List<String> misses() {
        List<String> misses = new java.util.ArrayList<>();
        for (FaultCount fault : faults) {
            if (fault.count() == 0) {
                misses.add("fault " + fault.kind() + " was not injected");
            }
        }
        if (accepted == 0) {
            misses.add("no run was accepted");
        }
        if (lost > 0) {
            misses.add(lost + " accepted run(s) lost");
        }
        if (stuck > 0) {
            misses.add(stuck + " run(s) stuck (not terminal after the settle timeout)");
        }
        if (storedTwice > 0) {
            misses.add(storedTwice + " run(s) stored a terminal result more than once");
        }
        if (sideEffects.repeatedWithoutWorkerDeath() > 0) {
            misses.add(sideEffects.repeatedWithoutWorkerDeath() + " side effect(s) repeated without a worker death");
        }
        if (sync.notAnsweredAfterWorkerDeath() > 0) {
            misses.add(sync.notAnsweredAfterWorkerDeath() + " sync caller(s) waiting when a worker died got no 2xx within the budget");
        }
        if (sync.hung() > 0) {
            misses.add(sync.hung() + " sync caller(s) hung (no answer within budget + margin)");
        }
        return misses;
    }
}
