package io.flowfleet.worker.sandbox;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.flowfleet.core.flow.FlowDefinition;
import io.flowfleet.core.flow.FlowRun;
import io.flowfleet.core.flow.RunListener;
import io.flowfleet.core.flow.RunStatus;
import io.flowfleet.core.flow.TriggerPayload;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SANDBOX_PROCESS memory bombs in children started with the worker image's JVM flags and a 256 MB heap:
 * the run fails once with MEMORY_LIMIT (never "Unrecognized token 'Terminating'") and the slot's next
 * run succeeds.
 */
class ProcessSandboxMemoryTest {
    static final List<String> IMAGE_FLAGS = List.of("-Xmx256m", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError");
    static final String ARRAY_BUFFER_BOMB = "const a = []; while (true) a.push(new ArrayBuffer(2 ** 30 - 64));";
    static final String SMALL_ARRAYS_BOMB = "const a = []; while (true) a.push(new Array(100000).fill(1.5));";
    /**
     * One builtin call that allocates ~40 bytes per char of its input (16 M one-char strings) without reaching a
     * safepoint: the guard's cancel cannot stop it, the heap runs out (found by the sandbox attack; MemoryGuardTest).
     */
    static final String SPLIT_BOMB = "return 'x'.repeat(2 ** 24).split('').length;";

    private static FlowRun run(ProcessSandboxRunner runner, String body, String key) throws Exception {
        FlowDefinition flow = SandboxProbes.flow("export const code = async (inputs) => {\n" + body + "\n};", key);
        return runner.run(flow, TriggerPayload.ofBody(JsonNodeFactory.instance.objectNode()), RunListener.NONE);
    }

    private static List<ProcessHandle> children() {
        return ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList();
    }

    @Test
    void theChildsMemoryGuardStopsTheBombAndTheChildLivesOn() throws Exception {
        try (ProcessSandboxRunner runner = new ProcessSandboxRunner(1, true, Duration.ofSeconds(60), 50L << 20, IMAGE_FLAGS)) {
            List<ProcessHandle> before = children();
            for (String bomb : List.of(ARRAY_BUFFER_BOMB, SMALL_ARRAYS_BOMB)) {
                FlowRun run = run(runner, bomb, "bomb-" + bomb.hashCode() + ":1");
                assertThat(run.status()).as(run.error()).isEqualTo(RunStatus.MEMORY_LIMIT);
                assertThat(run.failedStep()).isEqualTo("c");
                assertThat(run(runner, "return 1;", "ok:1").status()).isEqualTo(RunStatus.SUCCEEDED);
            }
            assertThat(children()).as("the same child").isEqualTo(before);
        }
    }

    @Test
    void aBuiltinCallThatOutrunsTheGuardIsAMemoryLimitAndCostsOnlyTheChild() throws Exception {
        try (ProcessSandboxRunner runner = new ProcessSandboxRunner(1, true, Duration.ofSeconds(60), 50L << 20, IMAGE_FLAGS)) {
            FlowRun run = run(runner, SPLIT_BOMB, "split-bomb:1");
            assertThat(run.status()).as(run.error()).isEqualTo(RunStatus.MEMORY_LIMIT);
            assertThat(run.error()).doesNotContain("Unrecognized token");
            assertThat(run(runner, "return 1;", "ok:1").status()).as("the slot runs again").isEqualTo(RunStatus.SUCCEEDED);
        }
    }

    @Test
    void aChildThatDiesOfOutOfMemoryIsAMemoryLimitAndIsReplaced() throws Exception {
        List<String> flags = new java.util.ArrayList<>(IMAGE_FLAGS);
        flags.add("-Dflowfleet.sandbox.memoryGuard=false"); // let the heap really run out: the JVM exits (code 3)
        try (ProcessSandboxRunner runner = new ProcessSandboxRunner(1, true, Duration.ofSeconds(60), 50L << 20, flags)) {
            List<ProcessHandle> before = children();
            FlowRun run = run(runner, SMALL_ARRAYS_BOMB, "bomb:1");
            assertThat(run.status()).as(run.error()).isEqualTo(RunStatus.MEMORY_LIMIT);
            assertThat(run.error()).contains("out of memory").doesNotContain("Unrecognized token");
            assertThat(run.steps()).extracting(s -> s.name()).containsExactly("trigger");
            assertThat(run(runner, "return 1;", "ok:1").status()).as("a new child took the slot").isEqualTo(RunStatus.SUCCEEDED);
            assertThat(children()).hasSize(1).doesNotContainAnyElementsOf(before);
        }
    }

    @Test
    void aResultOverJacksonsDefaultStringLimitCrossesTheProtocolOrIsLogSizeExceeded() throws Exception {
        String big = "return 'x'.repeat(21_000_000);";
        try (ProcessSandboxRunner runner = new ProcessSandboxRunner(1, true, Duration.ofSeconds(60), 50L << 20, List.of("-Xmx1g"))) {
            FlowRun run = run(runner, big, "big:1");
            assertThat(run.status()).as(run.error()).isEqualTo(RunStatus.SUCCEEDED);
            assertThat(run.step("c").output().textValue()).hasSize(21_000_000);
        }
        try (ProcessSandboxRunner runner = new ProcessSandboxRunner(1, true, Duration.ofSeconds(60), 20L << 20, List.of("-Xmx1g"))) {
            FlowRun run = run(runner, big, "big:1");
            assertThat(run.status()).as(run.error()).isEqualTo(RunStatus.LOG_SIZE_EXCEEDED);
        }
    }
}
