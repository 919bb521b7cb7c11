package io.flowfleet.worker;

import io.flowfleet.contract.RuntimeSettings;
import io.flowfleet.core.bundle.OutputStore;
import io.flowfleet.core.config.RuntimeConfig;
import io.flowfleet.core.flow.ClaimRefused;
import io.flowfleet.core.flow.FlowDefinition;
import io.flowfleet.core.flow.FlowRun;
import io.flowfleet.core.flow.RunStatus;
import io.flowfleet.core.flow.TriggerPayload;
import io.flowfleet.core.queue.Delivery;
import io.flowfleet.core.queue.Reply;
import io.flowfleet.core.queue.ReplyPublisher;
import io.flowfleet.core.queue.RunJob;
import io.flowfleet.core.queue.RunQueue;
import io.flowfleet.core.run.HeldRun;
import io.flowfleet.core.run.HeldRuns;
import io.flowfleet.core.store.Claim;
import io.flowfleet.core.store.ClaimResult;
import io.flowfleet.core.store.RunOutcome;
import io.flowfleet.core.store.RunStore;
import io.flowfleet.core.store.StepOutputRecord;
import io.flowfleet.core.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs one delivery, top to bottom: claim the run (one UPDATE), run the flow with its steps kept in
 * memory, reply to a sync caller when its Return Response is reached, write result and steps in one
 * statement, acknowledge the job. The run's state lives in its {@link HeldRun}.
 *
 * <p>A fresh first delivery (the app's job, read within {@link #FRESH} of its XADD) is claimed while
 * the flow starts, so the claim's round trip is off the sync caller's path; the engine runs pure
 * steps meanwhile and waits for the claim (the run's {@link io.flowfleet.core.flow.ClaimGate}) before
 * any step that acts outside the run, including the reply. Every other delivery (reclaimed, swept,
 * handed back, or a job that waited: after Redis came back from an old snapshot, those are stale) is
 * claimed first, so a stale job of a finished run costs one refused UPDATE and nothing runs. A job is
 * acknowledged only once its result is stored or its run turned out to be over, so a worker dying at
 * any point loses nothing.
 */
@Component
public class RunExecutor {
    private static final Logger LOG = LoggerFactory.getLogger(RunExecutor.class);
    /** A first delivery read later than this after its XADD is claimed before it runs. */
    static final Duration FRESH = Duration.ofSeconds(2);
    /** How long a finished run waits for Postgres to store its result before giving the job up to redelivery. */
    static final Duration RESULT_PATIENCE = Duration.ofMinutes(5);

    private final RunStore runs;
    private final RunQueue queue;
    private final ReplyPublisher replies;
    private final FlowVersions versions;
    private final FlowRunner engine;
    private final OutputStore outputs;
    private final WorkerMetrics metrics;
    private final RuntimeConfig config;
    private final HeldRuns held;
    private final StoreHealth storeHealth;
    /** Claims of fresh first deliveries, run beside the flow. */
    private final ExecutorService claimers = Executors.newVirtualThreadPerTaskExecutor();

    public RunExecutor(RunStore runs, RunQueue queue, ReplyPublisher replies, FlowVersions versions, FlowRunner engine,
                       OutputStore outputs, WorkerMetrics metrics, RuntimeConfig config, HeldRuns held, StoreHealth storeHealth) {
        this.runs = runs;
        this.queue = queue;
        this.replies = replies;
        this.versions = versions;
        this.engine = engine;
        this.outputs = outputs;
        this.metrics = metrics;
        this.config = config;
        this.held = held;
        this.storeHealth = storeHealth;
    }

    /**
     * Runs one delivery on the calling thread, to its end.
     *
     * @return true when the job turned out to be spent (its run had ended): nothing ran
     */
    boolean execute(Delivery delivery) {
        RunJob job = delivery.job();
        HeldRun run = new HeldRun(delivery, replies::publish);
        if (!held.add(run)) {
            // This worker already works on the run (its own job reclaimed, or a second job of it):
            // left pending, it is acknowledged or taken over once that delivery is settled.
            LOG.info("run {} is already running on this worker: this delivery is left pending", job.runId());
            return false;
        }
        // From now on its pending entry is kept fresh: nobody reclaims what this worker works on.
        MDC.put("runId", job.runId().toString());
        try {
            if (overlapsClaim(delivery)) {
                claimers.execute(() -> claim(run));
            } else {
                claim(run);
                if (run.claim() == null) {
                    settleUnclaimed(run);
                    return run.refusal() != null && run.refusal().runEnded();
                }
                if (run.claim().attempt() > config.maxRunAttempts()) {
                    String error = "run was delivered " + run.claim().attempt() + " times and its worker was lost every time"
                            + " (" + RuntimeSettings.ENV_VAR_RUN_MAX_ATTEMPTS + "=" + config.maxRunAttempts() + "): given up";
                    finish(run, outcome(run.claim(), RunStatus.FAILED, null, error, List.of()), false,
                            Reply.failure(job.runId(), error), true);
                    return false;
                }
            }
            runFlow(run);
            return run.refusal() != null && run.refusal().runEnded();
        } catch (RuntimeException e) {
            // Not acknowledged: the job is delivered again after its lease.
            LOG.error("run {} could not be processed; it will be delivered again after its lease", job.runId(), e);
            return false;
        } finally {
            run.abandonIfClaiming();
            held.remove(run);
            MDC.remove("runId");
        }
    }

    /** Only the app's job for a new run, read at once, may start before its claim returns. */
    static boolean overlapsClaim(Delivery delivery) {
        return delivery.firstDelivery()
                && Duration.between(delivery.enqueuedAt(), java.time.Instant.now()).compareTo(FRESH) < 0;
    }

    /** The claim: its answer moves the run to HELD (registered, gate open) or DROPPED (gate shut). */
    private void claim(HeldRun run) {
        UUID runId = run.delivery().job().runId();
        ClaimResult result;
        long asked = System.nanoTime(); // the lease in Postgres runs from a moment after this one
        try {
            result = runs.tryClaim(runId, config.workerId(), config.runLease());
        } catch (RuntimeException e) {
            storeHealth.failed(e);
            run.claimFailed(e);
            return;
        }
        storeHealth.up();
        switch (result) {
            case ClaimResult.Claimed claimed -> {
                if (run.claimed(claimed.claim(), asked + config.runLease().toNanos())) metrics.delivery("claimed", 1);
            }
            case ClaimResult.Refused refused -> run.refused(refused);
        }
    }

    /**
     * A delivery whose claim did not take the run. Its job is acknowledged when the run is over (a
     * stale or duplicate job); left pending when the run is held by another attempt (reclaimable
     * again when that attempt's lease runs out: if its holder died, the run goes on then) or the
     * claim failed (reclaimed after a lease).
     */
    private void settleUnclaimed(HeldRun run) {
        Delivery delivery = run.delivery();
        ClaimResult.Refused refusal = run.refusal();
        if (refusal == null) {
            LOG.warn("run {} could not be claimed ({}); it will be delivered again after its lease", delivery.job().runId(),
                    run.claimError() == null ? "interrupted" : run.claimError().getMessage());
            return;
        }
        metrics.delivery("duplicate", 1);
        if (refusal.runEnded()) {
            LOG.debug("run {} is over ({}): dropping this delivery", delivery.job().runId(), refusal.status());
            queue.ack(delivery.queue(), delivery.messageId());
        } else {
            LOG.debug("run {} is held by another attempt: leaving this delivery pending", delivery.job().runId());
            if (refusal.leaseLeft() != null) {
                // Claiming (or reclaiming) the job just reset its idle time: without this, a dead
                // holder's run would wait a whole lease more before anyone tries again, past the sync budget.
                try {
                    queue.reclaimableAfter(delivery.queue(), config.workerId(), delivery.messageId(), refusal.leaseLeft(),
                            config.runLease());
                } catch (RuntimeException e) {
                    LOG.warn("run {}: could not schedule its pending job for when the holder's lease ends ({}); reclaimed after a lease",
                            delivery.job().runId(), e.toString());
                }
            }
        }
    }

    private void runFlow(HeldRun run) {
        RunJob job = run.delivery().job();
        boolean warm = versions.isWarm(job.flowVersionId());
        FlowDefinition definition;
        TriggerPayload trigger;
        try {
            definition = versions.get(job.flowId(), job.flowVersionId());
            trigger = TriggerPayload.fromJson(job.payloadJson());
        } catch (RuntimeException e) {
            String error = "the run could not start: " + e.getMessage();
            LOG.error(error, e);
            if (!awaitClaim(run)) return;
            finish(run, outcome(run.claim(), RunStatus.INTERNAL_ERROR, null, error, List.of()), warm,
                    Reply.failure(job.runId(), error), true);
            return;
        }

        FlowRun result;
        try {
            result = engine.run(definition, trigger, run, run.gate()); // the run hears its steps and its Return Response
        } catch (ClaimRefused refused) {
            // Stopped before its first effect (refused claim) or its next one (lost or handed back).
            if (run.claim() == null) settleUnclaimed(run);
            else LOG.info("run {} stopped: {}", job.runId(), refused.getMessage());
            return;
        }
        result.steps().forEach(s -> metrics.step(s.type(), s.status().name(), s.durationMicros()));
        if (!awaitClaim(run)) return; // a flow of pure steps may end before its claim returns
        Claim claim = run.claim();
        List<StepOutputRecord> steps = StepOutputRecord.fromSteps(result.steps(),
                (position, output) -> outputs.write(job.runId(), claim.attempt(), position, output)); // large outputs to S3
        RunStatus status = result.status();
        String error = result.error() == null ? null
                : result.failedStep() == null ? result.error() : "step " + result.failedStep() + ": " + result.error();
        String response = result.response() == null ? null : result.response().toJson().toString();
        Reply reply = null;
        if (!run.responded()) {
            reply = status == RunStatus.SUCCEEDED
                    ? Reply.response(job.runId(), 200, Map.of("Content-Type", "application/json"),
                    "{\"runId\":\"" + job.runId() + "\",\"status\":\"SUCCEEDED\"}")
                    : Reply.failure(job.runId(), error == null ? "run ended " + status : error);
        }
        finish(run, outcome(claim, status, response, error, steps), warm, reply, reply != null && reply.failed());
    }

    /** Waits for the claim's answer; false (after settling the delivery) when the run is not ours. */
    private boolean awaitClaim(HeldRun run) {
        try {
            run.gate().await();
            return true;
        } catch (ClaimRefused refused) {
            if (run.claim() == null) settleUnclaimed(run);
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static RunOutcome outcome(Claim claim, RunStatus status, String response, String error, List<StepOutputRecord> steps) {
        return new RunOutcome(claim.runId(), claim.attempt(), claim.workerId(), status, response, error, steps);
    }

    /** Replies (failures before the write, so the caller hears at once), stores the result, acknowledges. */
    private void finish(HeldRun run, RunOutcome outcome, boolean warm, Reply reply, boolean replyFirst) {
        RunJob job = run.delivery().job();
        if (!run.finishing()) {
            // Handed back (another worker runs it again and answers the caller) or lost: nothing from here.
            LOG.info("run {} is no longer held by this worker ({}): this attempt's {} is dropped", job.runId(),
                    run.state(), outcome.status());
            return;
        }
        if (reply != null && replyFirst) run.reply(reply);
        boolean stored;
        try {
            stored = store(outcome);
        } catch (StoreException e) {
            if (!e.dataRefused()) throw e;
            // Postgres refuses this result's data: writing it again cannot succeed, and leaving the run
            // RUNNING would run it again after its lease with no worker lost. Store a minimal outcome.
            String error = "the run's result could not be stored (" + io.flowfleet.core.flow.Json.storableText(e.getMessage())
                    + "); run ended " + outcome.status() + (outcome.error() == null ? "" : ": " + io.flowfleet.core.flow.Json.storableText(outcome.error()));
            LOG.error("run {} attempt {}: {}", job.runId(), outcome.attempt(), error, e);
            outcome = new RunOutcome(outcome.runId(), outcome.attempt(), outcome.workerId(), RunStatus.INTERNAL_ERROR, null, error, List.of());
            if (reply != null && !replyFirst) reply = Reply.failure(job.runId(), error);
            stored = store(outcome);
        }
        if (reply != null && !replyFirst) run.reply(reply);
        if (!stored) {
            run.lostAtFinish();
            LOG.warn("run {} attempt {} lost its hold (lease expired and another worker took it): result not stored",
                    job.runId(), outcome.attempt());
            return;
        }
        queue.ack(run.delivery().queue(), run.delivery().messageId());
        run.done();
        long micros = (System.nanoTime() - run.startedNanos()) / 1_000;
        metrics.run(outcome.status().name(), warm, micros);
        if (outcome.status() == RunStatus.SUCCEEDED) {
            LOG.debug("run {} {} in {} µs", job.runId(), outcome.status(), micros);
        } else {
            LOG.info("run {} {}: {}", job.runId(), outcome.status(), outcome.error());
        }
    }

    /**
     * Writes the result, waiting out a Postgres outage (up to {@link #RESULT_PATIENCE}): the run
     * stays held meanwhile (the heartbeat keeps its job's pending entry fresh and marks it held in
     * Redis), so nobody runs it again, and its effects are not repeated for an outage alone.
     */
    private boolean store(RunOutcome outcome) {
        long deadline = System.nanoTime() + RESULT_PATIENCE.toNanos();
        boolean warned = false;
        while (true) {
            try {
                boolean stored = runs.complete(outcome);
                storeHealth.up();
                return stored;
            } catch (StoreException e) {
                storeHealth.failed(e);
                if (!e.unavailable() || System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) throw e;
                if (!warned) {
                    LOG.warn("run {} ended {} but Postgres is unreachable: storing its result when it is back", outcome.runId(), outcome.status());
                    warned = true;
                }
                try {
                    Thread.sleep(StoreHealth.PROBE_EVERY_MS);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }
}
