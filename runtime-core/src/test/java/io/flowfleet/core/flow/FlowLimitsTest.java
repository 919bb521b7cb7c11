package io.flowfleet.core.flow;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.flowfleet.core.flow.FlowEngineTest.flow;
import static io.flowfleet.core.flow.FlowEngineTest.json;
import static org.assertj.core.api.Assertions.assertThat;

/** The run-level limits: flow timeout and run log size, with one small-limit engine for the class. */
class FlowLimitsTest {
    private static FlowEngine engine;

    @BeforeAll
    static void start() {
        engine = FlowEngine.builder()
                .flowTimeout(Duration.ofMillis(700))
                .maxRunLogBytes(4_000)
                .statementLimit(Long.MAX_VALUE) // only the clock can stop a loop here
                .build();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static FlowRun run(FlowDefinition def, String body) throws Exception {
        return engine.run(def, TriggerPayload.ofBody(json(body)), RunListener.NONE);
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
        FlowRun run = run(flow("""
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
    void triggerPayloadOverTheRunLogLimitEndsInLogSizeExceeded() throws Exception {
        FlowRun run = run(flow("[]"), "{\"blob\":\"" + "y".repeat(5000) + "\"}");
        assertThat(run.status()).isEqualTo(RunStatus.LOG_SIZE_EXCEEDED);
    }
}
