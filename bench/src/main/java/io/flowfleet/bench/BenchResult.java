package io.flowfleet.bench;

import java.util.List;
import java.util.Map;

/** Everything one benchmark run measured; written as bench/results/latest.json. */
public record BenchResult(String startedAt, double elapsedSeconds, Machine machine, Versions versions, Setup setup,
                          double platformStartSeconds, Idle idle, Warm warm, List<Load> load, Cold cold, WorkerStart workerStart,
                          Durability durability, List<Long> processesLeftRunning, List<String> notes) {

    /** loadAverageBefore: 1-minute load average just before the platform started (other work on the machine skews figures). */
    public record Machine(int cores, String cpuModel, long memoryMb, String os, double loadAverageBefore) {
    }

    public record Versions(String flowfleet, String gitCommit, String java, String postgres, String redis, String s3proxy) {
    }

    public record Setup(int workers, int workerConcurrency, int slots, String flow, boolean smoke, boolean profile,
                        String postgresDurability, String workerJsRuntime) {
    }

    /** Sequential sync calls after a warm-up. */
    public record Warm(long warmupCalls, LatencySummary latency, Map<String, Double> cpuMsPerRun,
                       Map<String, Double> serverMeanMs, LatencySummary httpFloor, String firstError) {
    }

    /** CPU cores kept busy by each process group while no call arrives (pollers, heartbeats, JIT, GC). */
    public record Idle(double seconds, Map<String, Double> coresBusy) {
    }

    /** A closed loop of {@code concurrency} callers for a fixed time. */
    public record Load(int concurrency, double seconds, long requests, long errors, double requestsPerSecond,
                       double p50Ms, double p99Ms, double avgMs, Map<String, Double> cpuMsPerRun, String firstError) {
    }

    /** The first call of freshly published flows on running workers. */
    public record Cold(int flows, LatencySummary latency, String firstError) {
    }

    /** A new worker process: launch to readiness, and launch to the answer of a run that waited for it. */
    public record WorkerStart(boolean measured, double startToReadySeconds, double startToFirstRunSeconds, String error) {
    }

    /** What Postgres holds after the run: every successful call stored, no run left open. */
    public record Durability(boolean checked, long successfulCalls, long runsStored, Map<String, Long> runsByStatus,
                             long stillOpen, String note) {
    }
}
