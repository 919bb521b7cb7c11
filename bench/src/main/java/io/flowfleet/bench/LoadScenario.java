package io.flowfleet.bench;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Scenario 3: a closed loop of {@code concurrency} callers, each sending its next call when the
 * previous one answers, for a warm-up and then a measured window. Only calls that start and end
 * inside the window count. Bounded in time and in requests.
 */
final class LoadScenario {

    static final long MAX_REQUESTS_PER_LEVEL = 500_000;

    private LoadScenario() {
    }

    static BenchResult.Load run(SyncCaller caller, URI webhook, int concurrency, Duration warmup, Duration measured,
                                CpuMeter cpu) throws InterruptedException {
        long measureFrom = System.nanoTime() + warmup.toNanos();
        long measureUntil = measureFrom + measured.toNanos();
        LatencyRecorder recorder = new LatencyRecorder();
        AtomicLong issued = new AtomicLong();
        List<Thread> callers = new ArrayList<>();
        for (int i = 0; i < concurrency; i++) {
            callers.add(Thread.ofPlatform().name("load-" + i).start(() -> {
                while (issued.incrementAndGet() <= MAX_REQUESTS_PER_LEVEL) {
                    long start = System.nanoTime();
                    if (start >= measureUntil) {
                        return;
                    }
                    CallOutcome outcome = caller.call(webhook);
                    long end = start + outcome.nanos();
                    if (start >= measureFrom && end <= measureUntil) {
                        recorder.record(outcome);
                    }
                }
            }));
        }
        sleepUntil(measureFrom);
        Map<String, Double> before = cpu.snapshot();
        sleepUntil(measureUntil);
        Map<String, Double> after = cpu.snapshot();
        for (Thread thread : callers) {
            thread.join();
        }
        LatencySummary summary = recorder.summary();
        double seconds = measured.toNanos() / 1e9;
        long requests = summary.count() + summary.errors();
        return new BenchResult.Load(concurrency, seconds, requests, summary.errors(),
                CpuMeter.round3(summary.count() / seconds), summary.p50Ms(), summary.p99Ms(), summary.avgMs(),
                CpuMeter.perRunMillis(before, after, requests), recorder.firstError());
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long remaining;
        while ((remaining = nanoTime - System.nanoTime()) > 0) {
            Thread.sleep(Duration.ofNanos(Math.min(remaining, 100_000_000L)));
        }
    }
}
