package io.flowfleet.local;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A process that dies is launched again, as a Deployment would; one stopped on request is not. */
class ProcessSupervisorTest {

    @TempDir
    static Path workDirectory;
    private static Path fixtureJar;

    @BeforeAll
    static void buildFixtureJar() throws Exception {
        fixtureJar = FixtureJar.create(workDirectory);
    }

    @Test
    void aKilledProcessIsRestartedWithOneLineAndAStoppedOneStaysStopped() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        RuntimeProcess worker = RuntimeProcess.builder(fixtureJar).name("worker-2")
                .logFile(workDirectory.resolve("worker-2.log")).start().awaitReady(Duration.ofSeconds(30));
        try (ProcessSupervisor supervisor = new ProcessSupervisor(lines::add, Duration.ofSeconds(30))) {
            ProcessSupervisor.Slot slot = supervisor.supervise(worker);

            worker.handle().destroyForcibly(); // SIGKILL from outside, as the OOM killer would

            RuntimeProcess restarted = awaitNewProcess(slot, worker);
            restarted.awaitReady(Duration.ofSeconds(30));
            assertThat(lines).containsExactly("worker-2 exited (signal 9); restarting (restart 1)");
            assertThat(slot.restarts()).isEqualTo(1);
            assertThat(restarted.port()).isEqualTo(worker.port());

            restarted.stop();
            Thread.sleep(1_500);
            assertThat(slot.process()).isSameAs(restarted);
            assertThat(lines).hasSize(1);
        } finally {
            for (RuntimeProcess process : List.of(worker)) {
                process.stop();
            }
        }
    }

    @Test
    void afterStopNothingIsRestarted() throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        RuntimeProcess app = RuntimeProcess.builder(fixtureJar).name("app")
                .logFile(workDirectory.resolve("app.log")).start().awaitReady(Duration.ofSeconds(30));
        ProcessSupervisor supervisor = new ProcessSupervisor(lines::add, Duration.ofSeconds(30));
        ProcessSupervisor.Slot slot = supervisor.supervise(app);

        supervisor.stop();
        app.handle().destroyForcibly();
        app.onExit().get(30, TimeUnit.SECONDS);
        Thread.sleep(1_500);

        assertThat(slot.process()).isSameAs(app);
        assertThat(lines).isEmpty();
    }

    @Test
    void backOffDoublesUpToThirtySeconds() {
        assertThat(ProcessSupervisor.backoff(1)).isEqualTo(Duration.ofSeconds(1));
        assertThat(ProcessSupervisor.backoff(2)).isEqualTo(Duration.ofSeconds(2));
        assertThat(ProcessSupervisor.backoff(4)).isEqualTo(Duration.ofSeconds(8));
        assertThat(ProcessSupervisor.backoff(6)).isEqualTo(Duration.ofSeconds(30));
        assertThat(ProcessSupervisor.backoff(50)).isEqualTo(Duration.ofSeconds(30));
    }

    private static RuntimeProcess awaitNewProcess(ProcessSupervisor.Slot slot, RuntimeProcess old) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (slot.process() == old) {
            assertThat(System.nanoTime()).as("no restart within 60 s").isLessThan(deadline);
            Thread.sleep(50);
        }
        return slot.process();
    }
}
