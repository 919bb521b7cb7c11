package io.flowfleet.core.sandbox;

import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * SANDBOX_CODE_ONLY memory bombs, each in a JVM of its own launched with the worker image's flags
 * ({@code -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError}, runtime-worker/Dockerfile) and a 256 MB
 * heap, under each collector: the JVM survives, each bomb fails once with MEMORY_LIMIT and the next run
 * in the same JVM succeeds.
 */
class MemoryGuardTest {
    static final String[] BOMBS = {
            "const a = []; while (true) a.push(new ArrayBuffer(2 ** 30 - 64));",           // one allocation over the cap
            "const a = []; while (true) a.push(new ArrayBuffer(1 << 20));",                 // many small buffers
            "const a = []; while (true) a.push(new Array(100000).fill(1.5));",              // many small arrays
            "const a = []; let i = 0; while (true) a.push(String(i++).padEnd(1 << 20, 'y'));", // many 1 M strings
            "const a = []; while (true) a.push({ i: a.length, s: 'k' + a.length });",      // many small objects
    };

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-XX:+UseSerialGC", "-XX:+UseParallelGC", "-XX:+UseG1GC"})
    void bombsFailWithMemoryLimitAndTheJvmLivesOn(String collector) throws Exception {
        List<String> lines = runBombs(List.of(collector, "-Xmx256m", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError"), BOMBS);
        assertBombsStoppedAndJvmAlive(lines, BOMBS.length);
    }

    /**
     * Known hole, found by the sandbox attack and not fixed: one builtin call that allocates far more than its
     * (capped) input between two safepoint polls, e.g. {@code 'x'.repeat(2 ** 24).split('')} (~40 bytes per char),
     * outruns the guard: its cancel only lands at the guest's next safepoint, the heap runs out first, and with
     * -XX:+ExitOnOutOfMemoryError the worker JVM exits (the run is then reclaimed and re-run). In SANDBOX_PROCESS
     * only the child dies and the run ends MEMORY_LIMIT (ProcessSandboxMemoryTest). Enable once fixed.
     */
    @Disabled("known: a single amplifying builtin call outruns the memory guard in SANDBOX_CODE_ONLY (docs/flows.md)")
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-XX:+UseSerialGC"})
    void aSingleAmplifyingBuiltinCallIsAMemoryLimit(String collector) throws Exception {
        String[] bombs = {"return 'x'.repeat(2 ** 24).split('').length;"};
        List<String> lines = runBombs(List.of(collector, "-Xmx256m", "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError"), bombs);
        assertBombsStoppedAndJvmAlive(lines, bombs.length);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"-XX:+UseSerialGC"})
    void withoutExitOnOutOfMemoryAndWithoutTheGuardAnOutOfMemoryIsStillAMemoryLimit(String collector) throws Exception {
        // The guard off: the heap really runs out inside the code; that is not "executed more than N statements".
        String[] bombs = {BOMBS[2]};
        List<String> lines = runBombs(List.of(collector, "-Xmx256m", "-Dflowfleet.sandbox.memoryGuard=false"), bombs);
        assertBombsStoppedAndJvmAlive(lines, bombs.length);
        assertThat(String.join("\n", lines)).doesNotContain("statements");
    }

    private static void assertBombsStoppedAndJvmAlive(List<String> lines, int bombs) {
        List<String> results = lines.stream().filter(l -> l.startsWith("RESULT ")).toList();
        String all = String.join("\n", lines);
        assertThat(results).as(all).hasSize(2 * bombs);
        for (int i = 0; i < bombs; i++) {
            assertThat(results.get(2 * i)).as("bomb %d: %s", i, BOMBS[Math.min(i, BOMBS.length - 1)]).startsWith("RESULT MEMORY_LIMIT ");
            assertThat(results.get(2 * i + 1)).as("the run after bomb %d", i).startsWith("RESULT SUCCEEDED");
        }
        assertThat(lines).as(all).contains("JVM ALIVE");
    }

    static List<String> runBombs(List<String> jvmFlags, String[] bombs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmFlags);
        cmd.addAll(graalFlags());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(MemoryBombMain.class.getName());
        cmd.addAll(List.of(bombs));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        List<String> lines = new ArrayList<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().forEach(lines::add);
            } catch (IOException e) {
                lines.add("read failed: " + e);
            }
        });
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            fail("the bomb JVM did not finish");
        }
        reader.join();
        lines.stream().filter(l -> l.startsWith("RESULT") || l.contains("OutOfMemory") || l.contains("memory guard")
                || l.contains("JVM ALIVE")).forEach(l -> System.out.println("[bomb JVM " + jvmFlags.getFirst() + "] " + l));
        return lines;
    }

    /** The same GraalVM layout as this test JVM (module path + compiler), when it has one. */
    private static List<String> graalFlags() {
        List<String> flags = new ArrayList<>();
        String modules = System.getProperty("jdk.module.path");
        if (modules != null && !modules.isBlank()) {
            flags.addAll(List.of("-XX:+UnlockExperimentalVMOptions", "-XX:+EnableJVMCI", "--module-path=" + modules,
                    "--add-modules=ALL-MODULE-PATH", "--enable-native-access=ALL-UNNAMED,org.graalvm.truffle"));
            String upgrade = System.getProperty("jdk.module.upgrade.path");
            if (upgrade != null && !upgrade.isBlank()) flags.add("--upgrade-module-path=" + upgrade);
        }
        return flags;
    }
}
