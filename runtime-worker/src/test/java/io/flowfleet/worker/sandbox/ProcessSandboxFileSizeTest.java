package io.flowfleet.worker.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowfleet.core.flow.FlowDefinition;
import io.flowfleet.core.flow.FlowRun;
import io.flowfleet.core.flow.RunListener;
import io.flowfleet.core.flow.RunStatus;
import io.flowfleet.core.flow.TriggerPayload;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A SANDBOX_PROCESS child bounds step outputs by the worker's AP_MAX_FILE_SIZE_MB, as the in-process engine does. */
class ProcessSandboxFileSizeTest {

    @Test
    void aStepOutputOverTheWorkersLimitFailsInTheChildToo() throws Exception {
        try (ProcessSandboxRunner runner = new ProcessSandboxRunner(1, true, Duration.ofSeconds(30), 50L << 20, 1L << 20,
                List.of("-XX:+UseSerialGC", "-Xmx256m"))) {
            FlowDefinition flow = FlowDefinition.parse("""
                    {"name":"t","trigger":{"name":"trigger","type":"webhook"},"steps":[
                      {"name":"make","type":"code","settings":{"code":"export const code = async () => 'x'.repeat(2 * 1024 * 1024);"}}]}""")
                    .withCacheKey("file-size-v1");
            FlowRun run = runner.run(flow, TriggerPayload.ofBody(new ObjectMapper().readTree("{}")), RunListener.NONE);
            assertThat(run.status()).isEqualTo(RunStatus.FAILED);
            assertThat(run.error()).contains("the output of step make is larger than 1 MB (AP_MAX_FILE_SIZE_MB)");
        }
    }
}
