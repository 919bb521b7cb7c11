package io.flowfleet.core.sandbox;

import io.flowfleet.core.flow.FlowDefinition;
import io.flowfleet.core.flow.FlowEngine;
import io.flowfleet.core.flow.FlowRun;
import io.flowfleet.core.flow.RunListener;
import io.flowfleet.core.flow.RunStatus;
import io.flowfleet.core.flow.TriggerPayload;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a fresh context per run costs on the warm path, printed (no timed assertion: the machine is
 * noisy). The seed flow (webhook → math → code → return response) on a warm engine, whole engine run:
 * with contexts prepared ahead (AP_REUSE_SANDBOX=true) runs spaced like a worker's (0.5 ms apart) and
 * back to back, and with contexts created on the run's thread (false). docs/flows.md quotes the figures.
 */
class WarmPathCostTest {
    private static final int RUNS = 3_000;

    @Test
    void printWarmPathCost() throws Exception {
        FlowDefinition seed = FlowDefinition.parse(Files.readString(Path.of("../examples/flows/seed-benchmark.json"))).withCacheKey("seed:1");
        for (boolean reuse : new boolean[] {true, false}) {
            try (FlowEngine engine = FlowEngine.builder().reuseSandbox(reuse).build()) {
                engine.warmUp();
                measure(engine, seed, RUNS, 500_000); // warm-up of the JIT, not printed
                String mode = reuse ? "prepared ahead" : "created per run";
                print("fresh context " + mode + ", runs 0.5 ms apart", measure(engine, seed, RUNS, 500_000), engine);
                if (reuse) {
                    print("fresh context " + mode + ", back to back", measure(engine, seed, RUNS, 0), engine);
                }
            }
        }
    }

    @Test
    void printSandboxCallCost() throws Exception {
        for (boolean reuse : new boolean[] {true, false}) {
            try (JsSandbox sandbox = new JsSandbox(new SandboxOptions(reuse, java.time.Duration.ofSeconds(30), 100_000_000))) {
                sandbox.warmUp();
                JsSandbox.Code code = sandbox.compile("seed:1", "step_2", "export const code = async (inputs) => inputs.sum + 1;");
                callEach(sandbox, code, RUNS, 500_000);
                String mode = reuse ? "prepared ahead" : "created per run";
                long before = sandbox.contextsCreatedOnDemand();
                long[] spaced = callEach(sandbox, code, RUNS, 500_000);
                System.out.printf("SANDBOX CALL (%s JS) fresh context %s, runs 0.5 ms apart: p50 %d us p90 %d us p99 %d us; "
                                + "%d of %d runs found no spare%n", sandbox.runtimeName(), mode, spaced[RUNS / 2], spaced[RUNS * 9 / 10],
                        spaced[RUNS * 99 / 100], reuse ? sandbox.contextsCreatedOnDemand() - before : RUNS, RUNS);
            }
        }
    }

    private static long[] callEach(JsSandbox sandbox, JsSandbox.Code code, int runs, long gapNanos) throws CodeException {
        long[] micros = new long[runs];
        for (int i = 0; i < runs; i++) {
            LockSupport.parkNanos(gapNanos);
            long t0 = System.nanoTime();
            try (JsSandbox.Session session = sandbox.openSession()) {
                assertThat(session.call(code, "{\"sum\":5}", java.time.Duration.ofSeconds(30))).isEqualTo("6");
            }
            micros[i] = (System.nanoTime() - t0) / 1_000;
        }
        Arrays.sort(micros);
        return micros;
    }

    private static long[] measure(FlowEngine engine, FlowDefinition flow, int runs, long gapNanos) {
        long[] micros = new long[runs];
        for (int i = 0; i < runs; i++) {
            if (gapNanos > 0) {
                LockSupport.parkNanos(gapNanos);
            }
            long t0 = System.nanoTime();
            FlowRun run = engine.run(flow, TriggerPayload.ofBody(null), RunListener.NONE);
            micros[i] = (System.nanoTime() - t0) / 1_000;
            assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        }
        return micros;
    }

    private static void print(String what, long[] micros, FlowEngine engine) {
        Arrays.sort(micros);
        System.out.printf("WARM PATH (%s JS) %-48s p50 %5d us  p90 %5d us  p99 %6d us%n", engine.jsRuntime(), what,
                micros[micros.length / 2], micros[micros.length * 9 / 10], micros[micros.length * 99 / 100]);
    }
}
