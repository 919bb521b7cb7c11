package io.flowfleet.core.sandbox;

import io.flowfleet.core.flow.FlowEngine;
import io.flowfleet.core.flow.RunListener;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;

/**
 * SANDBOX_CODE_ONLY: no JS state crosses runs on one engine with AP_REUSE_SANDBOX=true (the default).
 * Each probe: a polluter (project A), a victim with a secret (project B), a reader (project A).
 */
class SandboxIsolationTest {
    static final Path PROBES = Path.of("src/test/resources/sandbox-probes");
    static FlowEngine engine;

    @BeforeAll
    static void start() {
        engine = FlowEngine.builder().reuseSandbox(true).build();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    static List<String> probes() {
        return SandboxProbes.names(PROBES);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("probes")
    void nothingCrossesRuns(String probe) throws Exception {
        SandboxProbes.check(PROBES, probe, (definition, trigger) -> engine.run(definition, trigger, RunListener.NONE));
    }
}
