package io.flowfleet.core.flow;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A code result is measured by the run log limit, never refused by a parser's own string limit. */
class CodeResultLimitsTest {
    private static final String BIG_RESULT = "export const code = async () => 'x'.repeat(21_000_000);"; // over Jackson's 20 M default

    private static FlowRun run(FlowEngine engine) throws Exception {
        String flow = """
                {"trigger": {"name": "trigger", "type": "webhook"},
                 "steps": [{"name": "big", "type": "code", "settings": {"code": %s}}]}"""
                .formatted(Json.MAPPER.writeValueAsString(BIG_RESULT));
        return engine.run(FlowDefinition.parse(flow), TriggerPayload.ofBody(null), RunListener.NONE);
    }

    @Test
    void aResultOverTheRunLogLimitIsLogSizeExceeded() throws Exception {
        try (FlowEngine engine = FlowEngine.builder().maxRunLogBytes(20L * 1024 * 1024).build()) {
            FlowRun run = run(engine);
            assertThat(run.status()).as(run.error()).isEqualTo(RunStatus.LOG_SIZE_EXCEEDED);
            assertThat(run.failedStep()).isEqualTo("big");
        }
    }

    @Test
    void aResultUnderTheRunLogLimitIsKeptWhateverItsLength() throws Exception {
        try (FlowEngine engine = FlowEngine.builder().maxRunLogBytes(50L * 1024 * 1024).build()) {
            FlowRun run = run(engine);
            assertThat(run.status()).as(run.error()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.step("big").output().textValue()).hasSize(21_000_000);
        }
    }
}
