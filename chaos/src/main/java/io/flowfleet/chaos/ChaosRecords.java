package io.flowfleet.chaos;

import java.time.Instant;

/** What the suite observes, as plain values for {@link ChaosAccounting}. */
public final class ChaosRecords {

    private ChaosRecords() {
    }

    /**
     * One webhook call: {@code key} is the marker in its payload ({@code body.key}); {@code outcome}
     * is the HTTP status ("200", "408", ...), {@code "connection-error"} (the app went away) or
     * {@link #NO_ANSWER} (nothing within budget + margin); {@code runId} the id the app named, if any.
     */
    public record Call(String key, String flow, boolean sync, Instant sent, Instant answered, String outcome,
                       String runId) {
        public static final String NO_ANSWER = "no-answer";

        /** The app answered 2xx and named the run: it promised to run it. */
        public boolean accepted() {
            return runId != null && outcome.length() == 3 && outcome.startsWith("2");
        }
    }

    /** A run of the suite's flows as Postgres holds it after settling. */
    public record Run(String runId, String key, String status, int attempt, Instant created, Instant finished) {
        public boolean terminal() {
            return !"QUEUED".equals(status) && !"RUNNING".equals(status);
        }
    }

    /** One request received by the loopback counter: an executed side effect of step {@code step} of run {@code key}. */
    public record Hit(String key, String step, String idempotencyKey, Instant at) {
    }

    /** A fault and the time it lasted: from injection until the component was back (restarted and ready). */
    public record Fault(FaultKind kind, String target, Instant start, Instant end) {
        boolean overlaps(Instant from, Instant to) {
            return !start.isAfter(to) && !end.isBefore(from);
        }
    }
}
