package io.flowfleet.app;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowfleet.core.config.QueueRoutes;
import io.flowfleet.core.config.RuntimeConfig;
import io.flowfleet.core.queue.Reply;
import io.flowfleet.core.queue.ReplyChannel;
import io.flowfleet.core.queue.RunJob;
import io.flowfleet.core.queue.RunQueue;
import io.flowfleet.core.store.AcceptedRun;
import io.flowfleet.core.store.FlowRecord;
import io.flowfleet.core.store.FlowStatus;
import io.flowfleet.core.store.FlowStore;
import io.flowfleet.core.store.RunIds;
import io.flowfleet.core.store.RunStore;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Webhooks, the hot path: one INSERT (the run, QUEUED, only if the flow is enabled) and one XADD
 * before answering (async) or waiting for the worker's reply on this instance's channel (sync).
 * Nothing else touches Postgres unless the flow cannot take the call (then a read says 404 or 410).
 */
@RestController
public class WebhookController {
    private static final Logger LOG = LoggerFactory.getLogger(WebhookController.class);
    private static final long ENQUEUE_TIMEOUT_MS = 5_000;

    private final RunStore runs;
    private final FlowStore flows;
    private final RunQueue queue;
    private final ReplyChannel replies;
    private final WebhookMetrics metrics;
    private final long maxPayloadBytes;
    private final long syncTimeoutNanos;
    private final int syncTimeoutSeconds;
    private final String routesJson;

    public WebhookController(RunStore runs, FlowStore flows, RunQueue queue, ReplyChannel replies, WebhookMetrics metrics,
                             RuntimeConfig config, ObjectMapper json) throws JsonProcessingException {
        this.runs = runs;
        this.flows = flows;
        this.queue = queue;
        this.replies = replies;
        this.metrics = metrics;
        this.maxPayloadBytes = config.maxWebhookPayloadBytes();
        this.syncTimeoutNanos = config.webhookTimeout().toNanos();
        this.syncTimeoutSeconds = (int) config.webhookTimeout().toSeconds();
        this.routesJson = json.writeValueAsString(config.queueRoutes().projectToQueue());
    }

    @PostMapping("/api/v1/webhooks/{flowId}")
    public void async(@PathVariable String flowId, HttpServletRequest request, HttpServletResponse response) throws IOException {
        long start = System.nanoTime();
        Accepted accepted = accept(flowId, request, false);
        AcceptedRun run = accepted.run();
        if (!enqueued(accepted, null)) {
            respondQueueDown(response, run, start, "async");
            return;
        }
        write(response, 200, "application/json", ("{\"runId\":\"" + run.runId() + "\"}").getBytes(StandardCharsets.UTF_8));
        metrics.webhook("async", 200, System.nanoTime() - start);
    }

    @PostMapping("/api/v1/webhooks/{flowId}/sync")
    public void sync(@PathVariable String flowId, HttpServletRequest request, HttpServletResponse response) throws IOException {
        long start = System.nanoTime();
        Accepted accepted = accept(flowId, request, true);
        AcceptedRun run = accepted.run();
        UUID runId = run.runId();
        CompletableFuture<Reply> answer = replies.expect(runId); // before XADD: the reply may be quick
        if (!enqueued(accepted, replies.name())) {
            replies.forget(runId);
            respondQueueDown(response, run, start, "sync");
            return;
        }
        Reply reply;
        try {
            reply = answer.get(Math.max(0, syncTimeoutNanos - (System.nanoTime() - start)), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            replies.forget(runId);
            error(response, 408, "TIMEOUT", "the flow did not respond within " + syncTimeoutSeconds
                    + " s (AP_WEBHOOK_TIMEOUT_SECONDS); run " + runId + " goes on", runId);
            metrics.webhook("sync", 408, System.nanoTime() - start);
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            replies.forget(runId);
            throw new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "SHUTTING_DOWN", "the app is stopping; run " + runId + " goes on");
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        if (reply.failed()) {
            error(response, 500, "RUN_FAILED", reply.error() == null ? "the run failed" : reply.error(), runId);
            metrics.webhook("sync", 500, System.nanoTime() - start);
            return;
        }
        for (Map.Entry<String, String> h : reply.headers().entrySet()) response.setHeader(h.getKey(), h.getValue());
        response.setHeader("X-Flowfleet-Run-Id", runId.toString());
        String contentType = reply.headers().entrySet().stream().filter(h -> h.getKey().equalsIgnoreCase("content-type"))
                .map(Map.Entry::getValue).findFirst().orElse("application/json");
        String body = reply.body() == null ? "" : reply.body();
        write(response, reply.status(), contentType, body.getBytes(StandardCharsets.UTF_8));
        metrics.webhook("sync", reply.status(), System.nanoTime() - start);
    }

    private record Accepted(AcceptedRun run, String payload) {
    }

    /** Stores the run, or answers 400/404/410/413 having stored nothing. */
    private Accepted accept(String flowId, HttpServletRequest request, boolean sync) throws IOException {
        String payload = WebhookPayload.read(request, maxPayloadBytes);
        AcceptedRun run = runs.accept(RunIds.next(), flowId, sync, payload, routesJson, QueueRoutes.DEFAULT_QUEUE)
                .orElseThrow(() -> refusal(flowId));
        return new Accepted(run, payload);
    }

    private ApiException refusal(String flowId) {
        FlowRecord flow = flows.find(flowId).orElse(null);
        if (flow == null) return ApiException.notFound("flow " + flowId + " does not exist");
        if (flow.status() == FlowStatus.DELETED) return ApiException.gone("flow " + flowId + " was deleted");
        if (flow.status() == FlowStatus.DISABLED) return ApiException.notFound("flow " + flowId + " is disabled");
        return ApiException.notFound("flow " + flowId + " has not been published");
    }

    private boolean enqueued(Accepted accepted, String replyTo) {
        AcceptedRun run = accepted.run();
        RunJob job = new RunJob(run.runId(), run.flowId(), run.flowVersionId(), replyTo, accepted.payload());
        try {
            queue.enqueue(run.queue(), job).get(ENQUEUE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("run {} is stored but could not be enqueued on {}: {} (the sweeper will enqueue it)", run.runId(), run.queue(), e.toString());
            return false;
        }
    }

    private void respondQueueDown(HttpServletResponse response, AcceptedRun run, long start, String mode) throws IOException {
        error(response, 503, "QUEUE_UNAVAILABLE", "run " + run.runId() + " is stored but Redis did not take its job;"
                + " it will run once the queue is reachable again (do not resend)", run.runId());
        metrics.webhook(mode, 503, System.nanoTime() - start);
    }

    private static void error(HttpServletResponse response, int status, String code, String message, UUID runId) throws IOException {
        String body = "{\"error\":\"" + code + "\",\"message\":" + quote(message) + ",\"runId\":\"" + runId + "\"}";
        write(response, status, "application/json", body.getBytes(StandardCharsets.UTF_8));
    }

    private static String quote(String s) {
        return "\"" + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + "\"";
    }

    private static void write(HttpServletResponse response, int status, String contentType, byte[] body) throws IOException {
        response.setStatus(status);
        response.setContentType(contentType);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
