package io.flowfleet.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowfleet.core.bundle.OutputStore;
import io.flowfleet.core.config.RuntimeConfig;
import io.flowfleet.core.flow.FlowDefinition;
import io.flowfleet.core.flow.FlowResponse;
import io.flowfleet.core.flow.FlowRun;
import io.flowfleet.core.flow.RunListener;
import io.flowfleet.core.flow.StepRun;
import io.flowfleet.core.flow.TriggerPayload;
import io.flowfleet.core.queue.Delivery;
import io.flowfleet.core.queue.Reply;
import io.flowfleet.core.queue.ReplyPublisher;
import io.flowfleet.core.queue.RunJob;
import io.flowfleet.core.queue.RunQueue;
import io.flowfleet.core.store.Claim;
import io.flowfleet.core.store.RunOutcome;
import io.flowfleet.core.store.RunStatus;
import io.flowfleet.core.store.RunStore;
import io.flowfleet.core.store.StepOutputRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Executes one delivered job: claim the run in Postgres (one UPDATE; for a new run's first delivery
 * concurrently with the flow's start, otherwise before it), run the flow with steps kept in memory,
 * reply to a sync caller the moment its Return Response is reached, then write result and steps in
 * one statement and acknowledge the job. A job is acknowledged only once its result
 * is stored (or it turned out to be a duplicate), so a worker dying at any point loses nothing.
 */
@Component
public class RunExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(RunExecutor.class);

    private final RunStore runs;
    private final RunQueue queue;
    private final ReplyPublisher replies;
    private final FlowVersions versions;
    private final FlowRunner engine;
    private final OutputStore outputs;
    private final WorkerMetrics metrics;
    private final RuntimeConfig config;
    private final ObjectMapper json = io.flowfleet.core.flow.Json.MAPPER;
    /** Claims of first deliveries, run beside the flow. */
    private final ExecutorService claimers = Executors.newVirtualThreadPerTaskExecutor();

    public RunExecutor(RunStore runs, RunQueue queue, ReplyPublisher replies, FlowVersions versions, FlowRunner engine,
                       OutputStore outputs, WorkerMetrics metrics, RuntimeConfig config) {
        this.runs = runs;
        this.queue = queue;
        this.replies = replies;
        this.versions = versions;
        this.engine = engine;
        this.outputs = outputs;
        this.metrics = metrics;
        this.config = config;
    }

    /** Runs the job on the calling thread; registers it in {@code inFlight} while it holds the run. */
    void execute(Delivery delivery, ConcurrentMap<UUID, InFlightRun> inFlight) {
        RunJob job = delivery.job();
        MDC.put("runId", job.runId().toString());
        InFlightRun run = new InFlightRun(delivery);
        try {
            CompletableFuture<Optional<Claim>> claiming;
            if (delivery.firstDelivery()) {
                // A new run's first delivery: claim while the flow starts, so the claim's round trip
                // is not on the sync caller's path. The reply and the result wait for the claim.
                claiming = CompletableFuture.supplyAsync(() -> claim(run, inFlight), claimers);
            } else {
                // Possibly started before (reclaimed, swept, handed back): claim first, run after.
                Optional<Claim> claim = claim(run, inFlight);
                if (claim.isEmpty()) {
                    duplicate(delivery);
                    return;
                }
                if (claim.get().attempt() > config.maxRunAttempts()) {
                    String error = "run was delivered " + claim.get().attempt() + " times and its worker was lost every time"
                            + " (AP_RUN_MAX_ATTEMPTS=" + config.maxRunAttempts() + "): given up";
                    finish(run, outcome(claim.get(), RunStatus.FAILED, null, error, List.of()), false,
                            Reply.failure(job.runId(), error), true);
                    return;
                }
                claiming = CompletableFuture.completedFuture(claim);
            }
            execute(run, claiming);
        } catch (RuntimeException e) {
            // Not acknowledged: the lease runs out and the job is delivered again.
            LOG.error("run {} could not be processed; it will be delivered again after its lease", job.runId(), e);
        } finally {
            inFlight.remove(job.runId());
            MDC.remove("runId");
        }
    }

    private Optional<Claim> claim(InFlightRun run, ConcurrentMap<UUID, InFlightRun> inFlight) {
        Optional<Claim> claim = runs.claim(run.delivery.job().runId(), config.workerId(), config.runLease());
        claim.ifPresent(c -> {
            run.claim = c;
            inFlight.put(c.runId(), run);
        });
        return claim;
    }

    /** Terminal already, or held by a live worker that has its own delivery: nothing to do. */
    private void duplicate(Delivery delivery) {
        LOG.debug("run {} is not claimable (done or held elsewhere): dropping this delivery", delivery.job().runId());
        metrics.delivery("duplicate", 1);
        queue.ack(delivery.queue(), delivery.messageId());
    }

    private void execute(InFlightRun run, CompletableFuture<Optional<Claim>> claiming) {
        RunJob job = run.delivery.job();
        boolean warm = versions.isWarm(job.flowVersionId());
        FlowDefinition definition;
        TriggerPayload trigger;
        try {
            definition = versions.get(job.flowId(), job.flowVersionId());
            trigger = trigger(job.payloadJson());
        } catch (RuntimeException e) {
            String error = "the run could not start: " + e.getMessage();
            LOG.error(error, e);
            Optional<Claim> claim = claiming.join();
            if (claim.isEmpty()) {
                duplicate(run.delivery);
                return;
            }
            finish(run, outcome(claim.get(), RunStatus.INTERNAL_ERROR, null, error, List.of()), warm,
                    Reply.failure(job.runId(), error), true);
            return;
        }

        Listener listener = new Listener(run, job, claiming);
        FlowRun result = engine.run(definition, trigger, listener);
        Optional<Claim> claimed = claiming.join();
        if (claimed.isEmpty()) {
            duplicate(run.delivery);
            return;
        }
        Claim claim = claimed.get();
        List<StepOutputRecord> steps = stepRecords(result.steps(), job.runId(), claim.attempt());
        RunStatus status = RunStatus.valueOf(result.status().name());
        String error = result.error() == null ? null
                : result.failedStep() == null ? result.error() : "step " + result.failedStep() + ": " + result.error();
        String response = result.response() == null ? null : result.response().toJson().toString();
        Reply reply = null;
        if (!listener.responded) {
            reply = status == RunStatus.SUCCEEDED
                    ? Reply.response(job.runId(), 200, Map.of("Content-Type", "application/json"),
                    "{\"runId\":\"" + job.runId() + "\",\"status\":\"SUCCEEDED\"}")
                    : Reply.failure(job.runId(), error == null ? "run ended " + status : error);
        }
        finish(run, outcome(claim, status, response, error, steps), warm, reply, reply != null && reply.failed());
    }

    private static RunOutcome outcome(Claim claim, RunStatus status, String response, String error, List<StepOutputRecord> steps) {
        return new RunOutcome(claim.runId(), claim.attempt(), claim.workerId(), status, response, error, steps);
    }

    /** Replies (failures before the write, so the caller hears at once), stores the result, acknowledges. */
    private void finish(InFlightRun run, RunOutcome outcome, boolean warm, Reply reply, boolean replyFirst) {
        RunJob job = run.delivery.job();
        if (run.handedBack) {
            // Another worker runs it again and answers the caller: no reply, result or ack from here.
            LOG.info("run {} was handed back at shutdown: this attempt's {} is dropped", job.runId(), outcome.status());
            return;
        }
        if (reply != null && job.sync() && replyFirst) replies.publish(job.replyTo(), reply);
        boolean stored = runs.complete(outcome);
        if (reply != null && job.sync() && !replyFirst) replies.publish(job.replyTo(), reply);
        if (!stored) {
            LOG.warn("run {} attempt {} lost its hold (lease expired and another worker took it): result not stored",
                    job.runId(), outcome.attempt());
            return;
        }
        queue.ack(run.delivery.queue(), run.delivery.messageId());
        long micros = (System.nanoTime() - run.startedNanos) / 1_000;
        metrics.run(outcome.status().name(), warm, micros);
        if (outcome.status() == RunStatus.SUCCEEDED) {
            LOG.debug("run {} {} in {} µs", job.runId(), outcome.status(), micros);
        } else {
            LOG.info("run {} {}: {}", job.runId(), outcome.status(), outcome.error());
        }
    }

    private TriggerPayload trigger(String payloadJson) {
        try {
            JsonNode p = json.readTree(payloadJson == null ? "{}" : payloadJson);
            return new TriggerPayload(p.path("method").asText("POST"), strings(p.get("headers")), strings(p.get("queryParams")),
                    p.get("body"));
        } catch (Exception e) {
            throw new IllegalArgumentException("stored payload is not JSON: " + e.getMessage(), e);
        }
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        if (object != null) object.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** Step rows; outputs over the inline limit go to S3 and are referenced. */
    private List<StepOutputRecord> stepRecords(List<StepRun> steps, UUID runId, int attempt) {
        List<StepOutputRecord> records = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            StepRun s = steps.get(i);
            String output = s.output() == null ? null : s.output().toString();
            String ref = null;
            if (output != null && !OutputStore.fitsInline(output)) {
                ref = outputs.write(runId, attempt, i, output);
                output = null;
            }
            records.add(new StepOutputRecord(i, s.name(), s.status().name(), output, ref, s.error(), s.durationMicros()));
        }
        return records;
    }

    /**
     * Hears the engine in memory: replies at the Return Response (once the run is known to be ours),
     * records steps for checkpoints.
     */
    private final class Listener implements RunListener {
        private final InFlightRun run;
        private final RunJob job;
        private final CompletableFuture<Optional<Claim>> claiming;
        volatile boolean responded;

        Listener(InFlightRun run, RunJob job, CompletableFuture<Optional<Claim>> claiming) {
            this.run = run;
            this.job = job;
            this.claiming = claiming;
        }

        @Override
        public void onResponse(FlowResponse response) {
            responded = true;
            if (!job.sync() || claiming.join().isEmpty()) return;
            Map<String, String> headers = new LinkedHashMap<>(response.headers());
            if (headers.keySet().stream().noneMatch(h -> h.equalsIgnoreCase("content-type"))) {
                headers.put("Content-Type", response.contentType());
            }
            replies.publish(job.replyTo(), Reply.response(job.runId(), response.status(), headers,
                    new String(response.bodyBytes(), StandardCharsets.UTF_8)));
        }

        @Override
        public void onStepFinished(StepRun step) {
            metrics.step(step.type(), step.status().name(), step.durationMicros());
            run.stepDone(step);
        }
    }
}
