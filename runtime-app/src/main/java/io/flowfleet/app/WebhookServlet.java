package io.flowfleet.app;

import io.flowfleet.contract.RuntimeSettings;
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
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.security.web.firewall.RequestRejectedException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code POST /api/v1/webhooks/{flowId}} (async) and {@code .../{flowId}/sync}: the hot path, a plain
 * servlet (no handler mapping, argument resolution or reflective invocation per call). Each call
 * costs one INSERT (the run, QUEUED, only if the flow is enabled and published) and one XADD before
 * answering (async) or waiting for the worker's reply on this instance's channel (sync). Postgres
 * is read again only when the flow cannot take the call, to say 404 or 410.
 */
public class WebhookServlet extends HttpServlet {
    static final String PREFIX = "/api/v1/webhooks/";
    private static final Logger LOG = LoggerFactory.getLogger(WebhookServlet.class);
    /** How long an XADD may take before the call is refused (Redis unreachable rather than down answers slowly). */
    private static final long ENQUEUE_TIMEOUT_MS = 2_000;

    private final RunStore runs;
    private final FlowStore flows;
    private final RunQueue queue;
    private final ReplyChannel replies;
    private final WebhookMetrics metrics;
    private final long maxPayloadBytes;
    private final long syncTimeoutNanos;
    private final long syncTimeoutSeconds;
    private final String routesJson;
    private final byte[] apiKey;

    public WebhookServlet(RunStore runs, FlowStore flows, RunQueue queue, ReplyChannel replies, WebhookMetrics metrics,
                          RuntimeConfig config, ObjectMapper json) throws IOException {
        this.runs = runs;
        this.flows = flows;
        this.queue = queue;
        this.replies = replies;
        this.metrics = metrics;
        this.maxPayloadBytes = config.maxWebhookPayloadBytes();
        this.syncTimeoutNanos = config.webhookTimeout().toNanos();
        this.syncTimeoutSeconds = config.webhookTimeout().toSeconds();
        this.routesJson = json.writeValueAsString(config.queueRoutes().projectToQueue());
        this.apiKey = config.apiKey() == null ? new byte[0] : config.apiKey().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected void doPost(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long start = System.nanoTime();
        // The decoded, normalized path below the servlet's mapping (the firewall refused ambiguous spellings).
        String pathInfo = request.getPathInfo();
        String path = request.getServletPath() + (pathInfo == null ? "" : pathInfo);
        String rest = pathInfo == null ? "" : pathInfo.substring(1);
        boolean sync = rest.endsWith("/sync");
        String flowId = sync ? rest.substring(0, rest.length() - "/sync".length()) : rest;
        String mode = sync ? "sync" : "async";
        if (flowId.isEmpty() || flowId.indexOf('/') >= 0) {
            int status = error(response, ApiException.notFound("no such endpoint: " + path), null);
            metrics.webhook(mode, status, System.nanoTime() - start);
            return;
        }
        int status;
        try {
            status = sync ? sync(flowId, request, response, start) : async(flowId, request, response);
        } catch (ApiException e) {
            status = error(response, e, null);
        } catch (RequestRejectedException e) {
            throw e; // the firewall's handler answers it (a header it refuses, read late)
        } catch (RuntimeException e) {
            ApiException outage = Outages.database(e);
            if (outage != null) {
                LOG.warn("webhook of flow {} refused, Postgres is unreachable: {}", flowId, e.toString());
                status = error(response, outage, null);
                metrics.webhook(mode, status, System.nanoTime() - start);
                return;
            }
            // The caller is anonymous: the details (SQL, data excerpts) go to the log, the caller gets the incident id.
            UUID incident = UUID.randomUUID();
            LOG.error("webhook of flow {} failed (incident {})", flowId, incident, e);
            status = error(response, new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR",
                    "the webhook failed inside Flowfleet (incident " + incident + ", in the app's log)"), null);
        }
        metrics.webhook(mode, status, System.nanoTime() - start);
    }

    private int async(String flowId, HttpServletRequest request, HttpServletResponse response) throws IOException {
        Accepted accepted = accept(flowId, request, false);
        if (!enqueued(accepted, null)) {
            Integer refused = refuse(response, accepted.run());
            if (refused != null) return refused;
        }
        write(response, 200, "application/json", ("{\"runId\":\"" + accepted.run().runId() + "\"}").getBytes(StandardCharsets.UTF_8));
        return 200;
    }

    private int sync(String flowId, HttpServletRequest request, HttpServletResponse response, long start) throws IOException {
        Accepted accepted = accept(flowId, request, true);
        UUID runId = accepted.run().runId();
        CompletableFuture<Reply> answer = replies.expect(runId); // before XADD: the reply may be quick
        if (!enqueued(accepted, replies.name())) {
            Integer refused = refuse(response, accepted.run());
            if (refused != null) {
                replies.forget(runId);
                return refused;
            }
        }
        Reply reply;
        try {
            reply = answer.get(Math.max(0, syncTimeoutNanos - (System.nanoTime() - start)), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            replies.forget(runId);
            return error(response, new ApiException(HttpStatus.REQUEST_TIMEOUT, "TIMEOUT", "the flow did not respond within "
                    + syncTimeoutSeconds + " s (" + RuntimeSettings.ENV_VAR_WEBHOOK_TIMEOUT_SECONDS + "); run " + runId + " goes on"), runId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            replies.forget(runId);
            return error(response, new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "SHUTTING_DOWN",
                    "the app is stopping; run " + runId + " goes on"), runId);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
        if (reply.failed()) {
            return error(response, new ApiException(HttpStatus.INTERNAL_SERVER_ERROR, "RUN_FAILED",
                    reply.error() == null ? "the run failed" : reply.error()), runId);
        }
        // The flow's status and headers may come from the caller's own data ({{trigger.body...}}): they
        // must not change how the HTTP message is framed, or a proxy in front reads the connection otherwise.
        if (reply.status() < 200 || reply.status() > 599) {
            return error(response, invalidResponse("status " + reply.status() + " is not a final HTTP status (200-599)"), runId);
        }
        String contentType = "application/json";
        Map<String, String> headers = new LinkedHashMap<>();
        int headerBytes = 0;
        for (Map.Entry<String, String> h : reply.headers().entrySet()) {
            String name = h.getKey();
            String value = h.getValue() == null ? "" : h.getValue();
            if (!isToken(name)) return error(response, invalidResponse("a header name is not an HTTP token: " + abbreviate(name)), runId);
            if (!isFieldValue(value)) {
                return error(response, invalidResponse("header " + name + " holds a control character or a character beyond Latin-1"), runId);
            }
            String lower = name.toLowerCase(Locale.ROOT);
            if (CONNECTION_HEADERS.contains(lower)) continue; // the server frames the message, not the flow
            headerBytes += name.length() + value.length() + 4;
            if (headerBytes > MAX_REPLY_HEADER_BYTES) {
                return error(response, invalidResponse("its headers are larger than " + MAX_REPLY_HEADER_BYTES + " bytes"), runId);
            }
            if (lower.equals("content-type")) contentType = value;
            else headers.put(name, value);
        }
        headers.forEach(response::setHeader);
        response.setHeader("X-Flowfleet-Run-Id", runId.toString());
        write(response, reply.status(), contentType, reply.body() == null ? new byte[0] : reply.body().getBytes(StandardCharsets.UTF_8));
        return reply.status();
    }

    private record Accepted(AcceptedRun run, String payload) {
    }

    /**
     * Headers that frame the message or manage the connection (RFC 9110 7.6.1, 8.6; RFC 9112 6.1): set by
     * the server only, dropped from a flow's response (flows that copy an upstream response's headers carry them).
     */
    static final Set<String> CONNECTION_HEADERS = Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "te",
            "trailer", "upgrade", "content-length", "x-flowfleet-run-id");
    /** Room for a flow's headers in Tomcat's 8 KB response header buffer, beside the status line and the server's own. */
    static final int MAX_REPLY_HEADER_BYTES = 6 * 1024;

    private static ApiException invalidResponse(String why) {
        return new ApiException(HttpStatus.BAD_GATEWAY, "INVALID_RESPONSE", "the flow's response cannot be sent over HTTP: " + why);
    }

    /** RFC 9110 token: the characters a header name may have. */
    static boolean isToken(String s) {
        if (s.isEmpty()) return false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean ok = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!ok) return false;
        }
        return true;
    }

    /** RFC 9110 field value as Tomcat writes it (ISO-8859-1): visible characters, space, tab, obs-text; no CR, LF, NUL. */
    static boolean isFieldValue(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c == '\t' || c >= 0x20 && c <= 0x7E || c >= 0x80 && c <= 0xFF)) return false;
        }
        return true;
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 57) + "...";
    }

    /** Stores the run, or throws the 400/404/410/413 answer having stored nothing. */
    private Accepted accept(String flowId, HttpServletRequest request, boolean sync) throws IOException {
        String payload = WebhookPayload.read(request, maxPayloadBytes, apiKey);
        AcceptedRun run = runs.accept(RunIds.next(), flowId, sync ? replies.name() : null, payload, routesJson, QueueRoutes.DEFAULT_QUEUE)
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
        CompletableFuture<String> xadd = null;
        try {
            xadd = queue.enqueue(run.queue(), job);
            xadd.get(ENQUEUE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            LOG.warn("run {} could not be enqueued on {}: {}", run.runId(), run.queue(), e.toString());
        }
        // A cancelled command is not written again when the connection comes back.
        if (xadd != null) xadd.cancel(false);
        return false;
    }

    /**
     * Redis refused the job: takes the run back so that it never executes, and answers 503 with
     * Retry-After (null when a worker already has the run: the job went through after all).
     */
    private Integer refuse(HttpServletResponse response, AcceptedRun run) throws IOException {
        boolean withdrawn;
        try {
            withdrawn = runs.withdraw(run.runId());
        } catch (RuntimeException e) {
            // Postgres is gone too: the run stays QUEUED and the sweeper enqueues it later.
            LOG.warn("run {} is stored but neither enqueued nor withdrawn: {}", run.runId(), e.toString());
            return error(response, new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "QUEUE_UNAVAILABLE", "run " + run.runId()
                    + " is stored but Redis did not take its job; it runs once the queue is reachable again (do not resend)"), run.runId());
        }
        if (!withdrawn) return null;
        return error(response, new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "QUEUE_UNAVAILABLE",
                "Redis is unreachable; the call was not accepted and will not run, try again later"), null);
    }

    private static int error(HttpServletResponse response, ApiException e, UUID runId) throws IOException {
        String body = ErrorJson.body(e.code(), e.getMessage(), runId);
        if (e.status() == HttpStatus.SERVICE_UNAVAILABLE) response.setHeader("Retry-After", Integer.toString(ErrorJson.RETRY_AFTER_SECONDS));
        write(response, e.status().value(), "application/json", body.getBytes(StandardCharsets.UTF_8));
        return e.status().value();
    }

    private static void write(HttpServletResponse response, int status, String contentType, byte[] body) throws IOException {
        response.setStatus(status);
        response.setContentType(contentType);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
