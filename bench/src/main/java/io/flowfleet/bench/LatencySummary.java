package io.flowfleet.bench;

import org.HdrHistogram.Histogram;

/**
 * Latencies of a set of calls, in milliseconds, plus how many calls failed. Percentiles come from
 * an HdrHistogram of microseconds (3 significant digits).
 */
public record LatencySummary(long count, long errors, double p50Ms, double avgMs, double p95Ms, double p99Ms,
                             double maxMs) {

    static LatencySummary of(Histogram micros, long errors) {
        if (micros.getTotalCount() == 0) {
            return new LatencySummary(0, errors, 0, 0, 0, 0, 0);
        }
        return new LatencySummary(micros.getTotalCount(), errors,
                millis(micros.getValueAtPercentile(50)),
                Math.round(micros.getMean()) / 1000.0,
                millis(micros.getValueAtPercentile(95)),
                millis(micros.getValueAtPercentile(99)),
                millis(micros.getMaxValue()));
    }

    private static double millis(long micros) {
        return micros / 1000.0;
    }
}
