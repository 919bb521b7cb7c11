package io.flowfleet.bench;

import org.HdrHistogram.Histogram;

/** Collects call latencies and failures from one or many threads. */
final class LatencyRecorder {

    /** Up to 10 minutes per call, 3 significant digits. */
    private final Histogram micros = new Histogram(600_000_000L, 3);
    private long errors;
    private String firstError;

    synchronized void record(CallOutcome outcome) {
        if (outcome.ok()) {
            micros.recordValue(Math.max(1, outcome.nanos() / 1_000));
        } else {
            errors++;
            if (firstError == null) {
                firstError = outcome.error();
            }
        }
    }

    synchronized long successes() {
        return micros.getTotalCount();
    }

    synchronized long errors() {
        return errors;
    }

    /** The first failure seen, to explain a non-zero error count. */
    synchronized String firstError() {
        return firstError;
    }

    synchronized LatencySummary summary() {
        return LatencySummary.of(micros, errors);
    }
}
