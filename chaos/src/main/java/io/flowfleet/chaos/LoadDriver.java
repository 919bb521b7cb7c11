package io.flowfleet.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowfleet.chaos.ChaosRecords.Call;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends the suite's traffic until stopped: async calls of both flows at a steady pace, and sync
 * callers that each wait for their answer before the next call (so callers are always waiting
 * when a fault strikes). Every call carries a unique marker ({@code body.key}) and is recorded.
 */
final class LoadDriver implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger syncInFlight = new AtomicInteger();
    private final AtomicInteger longSyncInFlight = new AtomicInteger();
    private final List<Thread> threads = new ArrayList<>();
    private final String tag;
    private final URI appBase;
    private final Duration syncBudget;
    private volatile boolean running = true;

    /**
     * @param appBase the app's base URI
     * @param syncBudget the app's sync timeout (AP_WEBHOOK_TIMEOUT_SECONDS); a sync caller with no
     *                   answer after it plus {@link #SYNC_MARGIN} counts as hung
     */
    LoadDriver(String tag, URI appBase, Duration syncBudget) {
        this.tag = tag;
        this.appBase = appBase;
        this.syncBudget = syncBudget;
    }

    static final Duration SYNC_MARGIN = Duration.ofSeconds(15);

    /** Starts the senders: async pauses between calls and the number of sync callers per flow. */
    void start(String quickFlow, String longFlow, Duration asyncQuickEvery, Duration asyncLongEvery,
               int quickSyncCallers, int longSyncCallers) {
        threads.add(Thread.ofVirtual().name("async-quick").start(() -> asyncLoop(quickFlow, "quick", asyncQuickEvery)));
        threads.add(Thread.ofVirtual().name("async-long").start(() -> asyncLoop(longFlow, "long", asyncLongEvery)));
        for (int i = 0; i < quickSyncCallers; i++) {
            threads.add(Thread.ofVirtual().name("sync-quick-" + i).start(() -> syncLoop(quickFlow, "quick", Duration.ofMillis(300))));
        }
        for (int i = 0; i < longSyncCallers; i++) {
            threads.add(Thread.ofVirtual().name("sync-long-" + i).start(() -> syncLoop(longFlow, "long", Duration.ofMillis(200))));
        }
    }

    /**
     * Sends {@code count} async calls of a flow at once and waits for their answers: a backlog in
     * the queue at the moment a fault strikes (a snapshot, a database crash).
     */
    void burst(String flowId, String flow, int count) throws InterruptedException {
        List<Thread> senders = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            senders.add(Thread.ofVirtual().start(() -> call(flowId, flow, false)));
        }
        for (Thread sender : senders) {
            sender.join();
        }
    }

    /** Sync callers of the long flow waiting for their answer right now. */
    int longSyncCallersWaiting() {
        return longSyncInFlight.get();
    }

    int syncCallersWaiting() {
        return syncInFlight.get();
    }

    /** Stops sending and waits for every caller's last call to end (at most the sync budget + margin). */
    void stop() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(syncBudget.plus(SYNC_MARGIN).plusSeconds(5));
        }
    }

    List<Call> calls() {
        return List.copyOf(calls);
    }

    @Override
    public void close() {
        running = false;
        http.close();
    }

    private void asyncLoop(String flowId, String flow, Duration every) {
        while (running) {
            long started = System.nanoTime();
            // Async calls are not awaited in turn: an app that hangs must not slow the pace.
            Thread.ofVirtual().start(() -> call(flowId, flow, false));
            sleepRest(every, started);
        }
    }

    private void syncLoop(String flowId, String flow, Duration pause) {
        while (running) {
            Call call = call(flowId, flow, true);
            // The app is down (killed, restarting): do not hammer it, as a real client would not.
            sleepRest(call != null && call.outcome().equals("connection-error") ? Duration.ofSeconds(1) : pause, System.nanoTime());
        }
    }

    private Call call(String flowId, String flow, boolean sync) {
        String key = tag + "-" + sequence.incrementAndGet();
        URI uri = appBase.resolve("api/v1/webhooks/" + flowId + (sync ? "/sync" : ""));
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(sync ? syncBudget.plus(SYNC_MARGIN) : SYNC_MARGIN)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"key\":\"" + key + "\",\"flow\":\"" + flow + "\"}"))
                .build();
        Instant sent = Instant.now();
        if (sync) {
            syncInFlight.incrementAndGet();
            if (flow.equals("long")) {
                longSyncInFlight.incrementAndGet();
            }
        }
        Call call = null;
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            call = new Call(key, flow, sync, sent, Instant.now(), Integer.toString(response.statusCode()), runId(response));
        } catch (HttpTimeoutException e) {
            call = new Call(key, flow, sync, sent, null, Call.NO_ANSWER, null);
        } catch (IOException e) {
            call = new Call(key, flow, sync, sent, Instant.now(), "connection-error", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (sync) {
                syncInFlight.decrementAndGet();
                if (flow.equals("long")) {
                    longSyncInFlight.decrementAndGet();
                }
            }
        }
        if (call != null) {
            calls.add(call);
        }
        return call;
    }

    /** The run id the app named: the sync header, or {@code runId} in a JSON body (async 200, errors). */
    static String runId(HttpResponse<String> response) {
        var header = response.headers().firstValue("X-Flowfleet-Run-Id");
        if (header.isPresent()) {
            return header.get();
        }
        try {
            JsonNode body = JSON.readTree(response.body());
            JsonNode runId = body == null ? null : body.get("runId");
            return runId == null || !runId.isTextual() ? null : runId.asText();
        } catch (IOException notJson) {
            return null;
        }
    }

    private void sleepRest(Duration every, long startedNanos) {
        long rest = every.toNanos() - (System.nanoTime() - startedNanos);
        if (rest > 0) {
            try {
                Thread.sleep(Duration.ofNanos(rest));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            }
        }
    }
}
