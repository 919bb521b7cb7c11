package io.flowfleet.core.flow;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.flowfleet.core.flow.FlowEngineTest.flow;
import static io.flowfleet.core.flow.FlowEngineTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The run-level limits: flow timeout and run log size. Two engines for the class: one with a short
 * flow limit (warmed up, so that starting GraalVM is not counted against it) and one with a small log limit.
 */
class FlowLimitsTest {
    private static FlowEngine clock;
    private static FlowEngine logLimited;

    @BeforeAll
    static void start() {
        clock = FlowEngine.builder()
                .flowTimeout(Duration.ofMillis(1500))
                .statementLimit(Long.MAX_VALUE) // only the clock can stop a loop here
                .build();
        clock.warmUp();
        logLimited = FlowEngine.builder().maxRunLogBytes(4_000).build();
    }

    @AfterAll
    static void stop() {
        clock.close();
        logLimited.close();
    }

    private static FlowRun run(FlowDefinition def, String body) throws Exception {
        return clock.run(def, TriggerPayload.ofBody(json(body)), RunListener.NONE);
    }

    private static FlowRun runLogLimited(FlowDefinition def, String body) throws Exception {
        return logLimited.run(def, TriggerPayload.ofBody(json(body)), RunListener.NONE);
    }

    @Test
    void delayPastTheFlowLimitEndsInTimeout() throws Exception {
        FlowRun run = run(flow("""
                [{"name":"first","type":"math","settings":{"operation":"add","a":1,"b":1}},
                 {"name":"wait","type":"delay","settings":{"millis":60000}},
                 {"name":"never","type":"math","settings":{"operation":"add","a":1,"b":1}}]"""), "{}");
        assertThat(run.status()).isEqualTo(RunStatus.TIMEOUT);
        assertThat(run.failedStep()).isEqualTo("wait");
        assertThat(run.error()).contains("limit");
        assertThat(run.step("wait").status()).isEqualTo(StepStatus.STOPPED);
        assertThat(run.step("first").status()).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(run.step("never")).isNull();
    }

    @Test
    void runawayCodeIsStoppedAtTheFlowLimitAndTheNextRunWorks() throws Exception {
        FlowRun run = run(flow("""
                [{"name":"spin","type":"code","retry":{"maxAttempts":3,"backoffMillis":0},
                  "settings":{"code":"export const code = async () => { for (;;) {} };"}}]"""), "{}");
        assertThat(run.status()).isEqualTo(RunStatus.TIMEOUT);
        assertThat(run.failedStep()).isEqualTo("spin");

        FlowRun next = run(flow("""
                [{"name":"ok","type":"code","settings":{"code":"export const code = async () => 'fine';"}}]"""), "{}");
        assertThat(next.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(next.step("ok").output().asText()).isEqualTo("fine");
    }

    @Test
    void retryBackoffPastTheFlowLimitEndsInTimeout() throws Exception {
        FlowRun run = run(flow("""
                [{"name":"boom","type":"code","retry":{"maxAttempts":5,"backoffMillis":5000},
                  "settings":{"code":"export const code = async () => { throw new Error('x'); };"}}]"""), "{}");
        assertThat(run.status()).isEqualTo(RunStatus.TIMEOUT);
        assertThat(run.failedStep()).isEqualTo("boom");
    }

    @Test
    void outputOverTheRunLogLimitEndsInLogSizeExceeded() throws Exception {
        FlowRun run = runLogLimited(flow("""
                [{"name":"small","type":"code","settings":{"code":"export const code = async () => 'x'.repeat(100);"}},
                 {"name":"big","type":"code","settings":{"code":"export const code = async () => 'x'.repeat(10000);"}},
                 {"name":"never","type":"math","settings":{"operation":"add","a":1,"b":1}}]"""), "{}");
        assertThat(run.status()).isEqualTo(RunStatus.LOG_SIZE_EXCEEDED);
        assertThat(run.failedStep()).isEqualTo("big");
        assertThat(run.error()).contains("4000 bytes");
        assertThat(run.step("small").status()).isEqualTo(StepStatus.SUCCEEDED);
        assertThat(run.step("never")).isNull();
    }

    @Test
    void inputsOverTheRunLogLimitEndInLogSizeExceeded() throws Exception {
        FlowRun run = runLogLimited(flow("""
                [{"name":"small","type":"math","settings":{"operation":"add","a":1,"b":1}},
                 {"name":"big","type":"return_response","settings":{"body":["{{trigger.body.s}}","{{trigger.body.s}}","{{trigger.body.s}}"]}}]"""),
                "{\"s\":\"" + "z".repeat(1000) + "\"}");
        assertThat(run.status()).isEqualTo(RunStatus.LOG_SIZE_EXCEEDED);
        assertThat(run.failedStep()).isEqualTo("big");
        assertThat(run.response()).isNull();
    }

    @Test
    void triggerPayloadOverTheRunLogLimitEndsInLogSizeExceeded() throws Exception {
        FlowRun run = runLogLimited(flow("[]"), "{\"blob\":\"" + "y".repeat(5000) + "\"}");
        assertThat(run.status()).isEqualTo(RunStatus.LOG_SIZE_EXCEEDED);
    }

    @Test
    void aFaultOfTheEngineItselfEndsInInternalError() throws Exception {
        FlowEngine closed = FlowEngine.builder().build();
        closed.close();
        FlowRun run = closed.run(flow("""
                [{"name":"c","type":"code","settings":{"code":"export const code = async () => 1;"}}]"""),
                TriggerPayload.ofBody(json("{}")), RunListener.NONE);
        assertThat(run.status()).isEqualTo(RunStatus.INTERNAL_ERROR);
        assertThat(run.failedStep()).isEqualTo("c");
        assertThat(run.error()).contains("internal error").contains("closed");
    }
}
