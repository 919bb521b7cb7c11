package io.flowfleet.worker.sandbox;

import io.flowfleet.core.flow.RunListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SANDBOX_PROCESS: no JS state crosses runs inside one warm child JVM (AP_REUSE_SANDBOX=true). The
 * probes are runtime-core's (src/test/resources/sandbox-probes): polluter, victim, reader in one child.
 */
class ProcessSandboxIsolationTest {
    static final Path PROBES = Path.of("../runtime-core/src/test/resources/sandbox-probes");
    static ProcessSandboxRunner runner;

    @BeforeAll
    static void start() {
        runner = new ProcessSandboxRunner(1, true, Duration.ofSeconds(30), 50L * 1024 * 1024, List.of("-XX:+UseSerialGC", "-Xmx256m"));
    }

    @AfterAll
    static void stop() {
        if (runner != null) runner.close();
    }

    static List<String> probes() {
        return SandboxProbes.names(PROBES);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("probes")
    void nothingCrossesRunsInAWarmChild(String probe) throws Exception {
        List<ProcessHandle> before = ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList();
        SandboxProbes.check(PROBES, probe, (definition, trigger) -> runner.run(definition, trigger, RunListener.NONE));
        assertThat(ProcessHandle.current().children().filter(ProcessHandle::isAlive).toList())
                .as("the three runs shared one child").isEqualTo(before);
    }
}
