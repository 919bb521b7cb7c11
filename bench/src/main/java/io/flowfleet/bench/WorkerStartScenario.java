package io.flowfleet.bench;

import io.flowfleet.local.LocalPlatform;
import io.flowfleet.local.RuntimeProcess;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Scenario 2b: a worker process's start to its first served run. The running workers are stopped,
 * a sync call is sent (its run waits in Redis), then a new worker is launched: the clock runs from
 * the launch to the answer. Runs last, since it leaves one fresh worker.
 */
final class WorkerStartScenario {

    private WorkerStartScenario() {
    }

    static BenchResult.WorkerStart run(LocalPlatform platform, SyncCaller caller, URI webhook) throws InterruptedException {
        List<RuntimeProcess> running = platform.workers().stream().filter(RuntimeProcess::isAlive).toList();
        CompletableFuture.allOf(running.stream().map(worker -> CompletableFuture.runAsync(worker::stop))
                .toArray(CompletableFuture[]::new)).join();

        CompletableFuture<CallOutcome> waitingCall = CompletableFuture.supplyAsync(() -> caller.call(webhook));
        // Give the call time to be stored and enqueued, so that the run is waiting when the worker starts.
        Thread.sleep(300);
        long launched = System.nanoTime();
        RuntimeProcess worker = platform.launchWorker();
        CompletableFuture<Long> ready = CompletableFuture.supplyAsync(() -> {
            worker.awaitReady(Duration.ofSeconds(120));
            return System.nanoTime();
        });
        try {
            CallOutcome outcome = waitingCall.get();
            long answered = System.nanoTime();
            long readyAt = ready.get();
            if (!outcome.ok()) {
                return new BenchResult.WorkerStart(false, seconds(readyAt - launched), 0, outcome.error());
            }
            return new BenchResult.WorkerStart(true, seconds(readyAt - launched), seconds(answered - launched), null);
        } catch (ExecutionException e) {
            return new BenchResult.WorkerStart(false, 0, 0, String.valueOf(e.getCause()));
        }
    }

    private static double seconds(long nanos) {
        return Math.round(nanos / 1e6) / 1000.0;
    }
}
