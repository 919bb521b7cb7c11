package io.flowfleet.core.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import io.flowfleet.core.flow.step.MemoryLimitExceeded;
import io.flowfleet.core.flow.step.Step;
import io.flowfleet.core.flow.step.StepContext;
import io.flowfleet.core.flow.step.FileSizeLimit;
import io.flowfleet.core.flow.step.StepFailedException;
import io.flowfleet.core.flow.template.Scope;
import io.flowfleet.core.sandbox.CodeException;
import io.flowfleet.core.sandbox.JsSandbox;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/** One run of a flow: its outputs, its step records, its limits. Lives on the thread that runs it. */
final class FlowExecution implements StepContext, Scope {
    private static final Logger log = LoggerFactory.getLogger(FlowExecution.class);

    private final FlowEngine engine;
    private final FlowDefinition definition;
    private final TriggerPayload trigger;
    private final RunListener listener;
    private final ClaimGate gate;
    /** How many times each step name started in this run (a loop body runs its steps again). */
    private final Map<String, Integer> executions = new HashMap<>();
    private final Map<String, JsonNode> outputs = new HashMap<>();
    private final List<StepRun> steps = new ArrayList<>();
    private final long start = System.nanoTime();
    private final long deadline;
    private final long maxLogBytes;
    private long logBytes;
    private FlowResponse response;
    private boolean stopped;
    private JsSandbox.Session session;
    private String currentStep;

    FlowExecution(FlowEngine engine, FlowDefinition definition, TriggerPayload trigger, RunListener listener, ClaimGate gate) {
        this.engine = engine;
        this.gate = gate;
        this.definition = definition;
        this.trigger = trigger;
        this.listener = listener;
        this.deadline = start + engine.flowTimeout().toNanos();
        this.maxLogBytes = engine.maxRunLogBytes();
    }

    FlowRun run() throws ClaimRefused {
        try {
            JsonNode triggerOutput = trigger.toJson();
            outputs.put(definition.triggerName(), triggerOutput);
            countLog(triggerOutput);
            record(new StepRun(definition.triggerName(), FlowParser.WEBHOOK, StepStatus.SUCCEEDED,
                    NullNode.getInstance(), triggerOutput, null, 1, 0));
            runChain(definition.steps());
            return finish(RunStatus.SUCCEEDED, null, null);
        } catch (StepFailure f) {
            return finish(RunStatus.FAILED, f.step, f.getMessage());
        } catch (FlowTimeout t) {
            return finish(RunStatus.TIMEOUT, currentStep,
                    "the flow ran longer than its limit of " + engine.flowTimeout().toSeconds() + " s");
        } catch (LogSizeExceeded e) {
            return finish(RunStatus.LOG_SIZE_EXCEEDED, currentStep,
                    "the run log grew over its limit of " + maxLogBytes + " bytes");
        } catch (MemoryLimitExceeded e) {
            return finish(RunStatus.MEMORY_LIMIT, currentStep, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return finish(RunStatus.INTERNAL_ERROR, currentStep, "the run was interrupted");
        } catch (ClaimRefused refused) {
            throw refused; // not this attempt's run: no outcome at all
        } catch (Exception | StackOverflowError e) {
            log.error("flow {} failed inside the engine at step {}", definition.name(), currentStep, e);
            return finish(RunStatus.INTERNAL_ERROR, currentStep, "internal error: " + e);
        } finally {
            if (session != null) {
                session.close();
            }
        }
    }

    private FlowRun finish(RunStatus status, String failedStep, String error) {
        long micros = (System.nanoTime() - start) / 1000;
        return new FlowRun(status, steps, status == RunStatus.SUCCEEDED ? null : failedStep, Json.storableText(error), response, micros);
    }

    @Override
    public void runChain(List<Step> chain) throws Exception {
        for (int i = 0, n = chain.size(); i < n && !stopped; i++) {
            runStep(chain.get(i));
        }
    }

    private void runStep(Step step) throws Exception {
        currentStep = step.name();
        checkDeadline();
        long t0 = System.nanoTime();
        executions.merge(step.name(), 1, Integer::sum);
        JsonNode input = step.resolveInput(this);
        countLog(input);
        var options = step.errorOptions();
        int attempt = 0;
        String error;
        while (true) {
            attempt++;
            if (!step.pure()) {
                // No effect outside the run before the run is ours (checked again before a retry:
                // the run may have been lost meanwhile).
                gate.await();
                currentStep = step.name();
                checkDeadline();
            }
            try {
                JsonNode output = step.execute(input, this);
                if (output == null) {
                    output = NullNode.getInstance();
                }
                checkFileSize(step, output);
                // Checked here, where every output of both execution modes passes: an output the run
                // store (jsonb) cannot keep would make the run's final write fail, after its effects.
                String unstorable = Json.unstorable(output);
                if (unstorable != null) {
                    throw new StepFailedException("the step's output cannot be kept by the run store: " + unstorable, false);
                }
                currentStep = step.name();
                outputs.put(step.name(), output);
                countLog(output);
                record(new StepRun(step.name(), step.type(), StepStatus.SUCCEEDED, input, output, null, attempt, micros(t0)));
                return;
            } catch (ClaimRefused refused) {
                throw refused;
            } catch (FlowTimeout | LogSizeExceeded | MemoryLimitExceeded | StepFailure | InterruptedException stop) {
                if (!(stop instanceof StepFailure)) {
                    record(new StepRun(step.name(), step.type(), StepStatus.STOPPED, input, NullNode.getInstance(),
                            stop instanceof FlowTimeout ? "flow run limit reached" : stop instanceof LogSizeExceeded
                                    ? "run log size limit reached" : stop instanceof MemoryLimitExceeded
                                    ? Json.storableText(stop.getMessage()) : "interrupted", attempt, micros(t0)));
                }
                throw stop;
            } catch (StepFailedException e) {
                error = Json.storableText(e.getMessage());
                if (!e.retryable()) {
                    break;
                }
            } catch (RuntimeException e) {
                // Not a fault of the flow: a bug or a closed engine. The run ends INTERNAL_ERROR.
                record(new StepRun(step.name(), step.type(), StepStatus.FAILED, input, NullNode.getInstance(),
                        Json.storableText("internal error: " + e), attempt, micros(t0)));
                throw e;
            }
            currentStep = step.name();
            checkDeadline(); // a step that failed because the flow's time ran out is a TIMEOUT
            if (attempt >= options.maxAttempts()) {
                break;
            }
            sleep(options.backoffBefore(attempt + 1).toMillis());
        }
        record(new StepRun(step.name(), step.type(), StepStatus.FAILED, input, NullNode.getInstance(), error, attempt, micros(t0)));
        if (options.continueOnFailure()) {
            outputs.put(step.name(), NullNode.getInstance());
            return;
        }
        throw new StepFailure(step.name(), error);
    }

    /** A step's output is the largest thing a step produces: AP_MAX_FILE_SIZE_MB bounds it (not retried). */
    private void checkFileSize(Step step, JsonNode output) throws StepFailedException {
        long limit = engine.maxFileSizeBytes();
        if (JsonSize.estimate(output, limit + 1) > limit) {
            throw new StepFailedException("the output of step " + step.name() + " is larger than " + FileSizeLimit.describe(limit)
                    + ", the largest a step may produce", false);
        }
    }

    @Override
    public long maxFileSizeBytes() {
        return engine.maxFileSizeBytes();
    }

    private void record(StepRun run) {
        steps.add(run);
        try {
            listener.onStepFinished(run);
        } catch (RuntimeException e) {
            log.warn("run listener failed on step {}", run.name(), e);
        }
    }

    private static long micros(long t0) {
        return (System.nanoTime() - t0) / 1000;
    }

    private void checkDeadline() throws FlowTimeout {
        if (System.nanoTime() - deadline >= 0) {
            throw new FlowTimeout();
        }
    }

    private void countLog(JsonNode node) throws LogSizeExceeded {
        logBytes += JsonSize.estimate(node, maxLogBytes - logBytes + 1);
        if (logBytes > maxLogBytes) {
            throw new LogSizeExceeded();
        }
    }

    @Override
    public JsonNode output(String name) {
        return outputs.get(name);
    }

    @Override
    public void setOutput(String stepName, JsonNode output) {
        if (output == null) {
            outputs.remove(stepName);
        } else {
            outputs.put(stepName, output);
        }
    }

    @Override
    public void respond(FlowResponse answer, boolean stop) {
        if (stop) {
            stopped = true;
        }
        if (response != null) {
            log.debug("flow {} answered already; step {} does not answer again", definition.name(), currentStep);
            return;
        }
        response = answer;
        try {
            listener.onResponse(answer);
        } catch (RuntimeException e) {
            log.warn("run listener failed on the response of flow {}", definition.name(), e);
        }
    }

    @Override
    public boolean stopped() {
        return stopped;
    }

    @Override
    public long remainingMillis() {
        return TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
    }

    @Override
    public void sleep(long millis) throws FlowTimeout, InterruptedException {
        if (millis <= 0) {
            return;
        }
        long remaining = remainingMillis();
        if (millis >= remaining) {
            Thread.sleep(Math.max(0, remaining));
            throw new FlowTimeout();
        }
        Thread.sleep(millis);
    }

    @Override
    public String callCode(String stepName, String code, String inputJson) throws CodeException {
        if (session == null) {
            session = engine.sandbox().openSession();
        }
        return session.call(engine.sandbox().compile(definition.cacheKey(), stepName, code), inputJson,
                Duration.ofMillis(Math.max(1, remainingMillis())));
    }

    @Override
    public HttpClient httpClient() {
        return engine.httpClient();
    }

    @Override
    public String idempotencyKey(String stepName) {
        int n = executions.getOrDefault(stepName, 1);
        String name = gate.runId() + "/" + stepName + (n > 1 ? "#" + n : "");
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }

    /** The run fails at this step. */
    static final class StepFailure extends Exception {
        final String step;

        StepFailure(String step, String message) {
            super(message, null, false, false);
            this.step = step;
        }
    }

    static final class FlowTimeout extends Exception {
        FlowTimeout() {
            super(null, null, false, false);
        }
    }

    static final class LogSizeExceeded extends Exception {
        LogSizeExceeded() {
            super(null, null, false, false);
        }
    }
}
