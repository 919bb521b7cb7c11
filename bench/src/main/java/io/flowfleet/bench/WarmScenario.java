package io.flowfleet.bench;

import java.net.URI;
import java.time.Instant;
import java.util.Map;

/** Scenario 1: one caller, sequential sync calls to a warm flow after a warm-up. */
final class WarmScenario {

    private WarmScenario() {
    }

    /** {@code timings} may be null (no server-side breakdown). */
    static BenchResult.Warm run(SyncCaller caller, URI webhook, int warmupCalls, java.time.Duration warmupTime, int calls,
                                CpuMeter cpu, ServerTimings timings, Instant deadline) {
        LatencyRecorder warmup = new LatencyRecorder();
        Instant warmupUntil = Instant.now().plus(warmupTime);
        for (int i = 0; (i < warmupCalls || Instant.now().isBefore(warmupUntil)) && Instant.now().isBefore(deadline); i++) {
            warmup.record(caller.call(webhook));
        }
        LatencyRecorder measured = new LatencyRecorder();
        Map<String, double[]> timersBefore = timings == null ? Map.of() : timings.scrape();
        Map<String, Double> before = cpu.snapshot();
        for (int i = 0; i < calls && Instant.now().isBefore(deadline); i++) {
            measured.record(caller.call(webhook));
        }
        Map<String, Double> after = cpu.snapshot();
        Map<String, Double> serverMeans = timings == null ? Map.of() : ServerTimings.meanMillis(timersBefore, timings.scrape());
        // The same client and connection pool against the app's liveness endpoint: the HTTP floor.
        LatencyRecorder floor = new LatencyRecorder();
        URI liveness = webhook.resolve("/actuator/health/liveness");
        for (int i = 0; i < calls && Instant.now().isBefore(deadline); i++) {
            floor.record(caller.get(liveness));
        }
        long runs = measured.successes() + measured.errors();
        String firstError = measured.firstError() != null ? measured.firstError() : warmup.firstError();
        return new BenchResult.Warm(warmup.successes() + warmup.errors(), measured.summary(), CpuMeter.perRunMillis(before, after, runs),
                serverMeans, floor.summary(), firstError);
    }
}
