package io.flowfleet.worker;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/**
 * Worker meters: {@code flowfleet_runs_total{status}} (terminal outcomes written by this worker),
 * {@code flowfleet_run_seconds{status, start=warm|cold}}, {@code flowfleet_step_seconds{type, status}},
 * {@code flowfleet_deliveries_total{outcome}} (claimed, duplicate, reclaimed, handed_back, swept).
 */
@Component
public class WorkerMetrics {
    private final MeterRegistry registry;
    private final ConcurrentMap<String, Counter> counters = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();

    public WorkerMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    MeterRegistry registry() {
        return registry;
    }

    void run(String status, boolean warm, long micros) {
        counters.computeIfAbsent("runs" + status, k -> Counter.builder("flowfleet.runs")
                .description("Runs this worker ended, by terminal status").tag("status", status).register(registry)).increment();
        timers.computeIfAbsent("run" + status + warm, k -> Timer.builder("flowfleet.run")
                        .description("Run latency from claim to result stored").tag("status", status).tag("start", warm ? "warm" : "cold")
                        .publishPercentileHistogram().register(registry))
                .record(micros, TimeUnit.MICROSECONDS);
    }

    void step(String type, String status, long micros) {
        timers.computeIfAbsent("step" + type + status, k -> Timer.builder("flowfleet.step")
                        .description("Step latency by step type").tag("type", type).tag("status", status)
                        .publishPercentileHistogram().register(registry))
                .record(micros, TimeUnit.MICROSECONDS);
    }

    void delivery(String outcome, int n) {
        if (n <= 0) return;
        counters.computeIfAbsent("delivery" + outcome, k -> Counter.builder("flowfleet.deliveries")
                .description("Jobs this worker received, by what became of them").tag("outcome", outcome).register(registry)).increment(n);
    }
}
