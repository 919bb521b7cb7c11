package io.flowfleet.worker.sandbox;

import io.flowfleet.core.flow.FlowDefinition;
import io.flowfleet.core.flow.FlowResponse;
import io.flowfleet.core.flow.FlowRun;
import io.flowfleet.core.flow.RunListener;
import io.flowfleet.core.flow.RunStatus;
import io.flowfleet.core.flow.StepRun;
import io.flowfleet.core.flow.TriggerPayload;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** SANDBOX_PROCESS for real: a warm child JVM per slot running flows over the line-JSON protocol. */
class ProcessSandboxRunnerTest {
    static ProcessSandboxRunner runner;
    static FlowDefinition seed;
    static final ObjectMapper JSON = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        runner = new ProcessSandboxRunner(1, true, Duration.ofSeconds(30), 50L * 1024 * 1024, List.of("-XX:+UseSerialGC", "-Xmx256m"));
        seed = FlowDefinition.parse(Files.readString(Path.of("../examples/flows/seed-benchmark.json"))).withCacheKey("seed-v1");
    }

    @AfterAll
    static void stop() {
        if (runner != null) runner.close();
    }

    /** This test JVM starts no other processes: its live children are the sandboxes. */
    private static List<ProcessHandle> children() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList();
    }

    @Test
    void aWarmChildRunsTheSeedFlowAndTheListenerHearsItsResponseAndSteps() throws Exception {
        List<ProcessHandle> before = children();
        assertThat(before).as("started warm with the runner").hasSize(1);

        for (int i = 0; i < 2; i++) {
            List<FlowResponse> responses = new ArrayList<>();
            List<String> steps = new ArrayList<>();
            FlowRun run = runner.run(seed, TriggerPayload.ofBody(JSON.readTree("{\"n\":1}")), new RunListener() {
                @Override
                public void onResponse(FlowResponse response) {
                    responses.add(response);
                }

                @Override
                public void onStepFinished(StepRun step) {
                    steps.add(step.name());
                }
            });

            assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(responses).singleElement().satisfies(r -> assertThat(r.body().get("sum").asInt()).isEqualTo(6));
            assertThat(steps).containsExactly("trigger", "step_1", "step_2", "step_3");
            assertThat(run.steps()).extracting(StepRun::name).containsExactly("trigger", "step_1", "step_2", "step_3");
            assertThat(run.step("step_2").output().asInt()).isEqualTo(6);
        }
        assertThat(children()).as("the same child served both runs").isEqualTo(before);
    }

    @Test
    void aChildKilledMidRunEndsItInternalErrorAndIsReplaced() throws Exception {
        FlowDefinition slow = FlowDefinition.parse("""
                {"name": "slow", "trigger": {"name": "trigger", "type": "webhook"},
                 "steps": [{"name": "wait", "type": "delay", "settings": {"millis": 20000}}]}""").withCacheKey("slow-v1");
        CompletableFuture<FlowRun> running = CompletableFuture.supplyAsync(
                () -> runner.run(slow, TriggerPayload.ofBody(null), RunListener.NONE));
        ProcessHandle child = children().getFirst();
        child.destroyForcibly();

        FlowRun run = running.get(30, TimeUnit.SECONDS);

        assertThat(run.status()).isEqualTo(RunStatus.INTERNAL_ERROR);
        assertThat(run.error()).contains("sandbox process");
        assertThat(runner.run(seed, TriggerPayload.ofBody(null), RunListener.NONE).status())
                .as("a new child takes the slot").isEqualTo(RunStatus.SUCCEEDED);
        assertThat(children()).hasSize(1).doesNotContain(child);
    }
}
