package io.flowfleet.local;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Launching a jar as a child process, waiting for readiness, SIGTERM and SIGKILL. */
class RuntimeProcessTest {

    @TempDir
    static Path workDirectory;
    private static Path fixtureJar;

    @BeforeAll
    static void buildFixtureJar() throws Exception {
        fixtureJar = FixtureJar.create(workDirectory);
    }

    @Test
    void waitsForReadinessPassesEnvAndStopsGracefully() throws Exception {
        RuntimeProcess process = RuntimeProcess.builder(fixtureJar)
                .env("FIXTURE_READY_AFTER_MS", "1500")
                .env("FIXTURE_ECHO", "from the env map")
                .logFile(workDirectory.resolve("graceful.log"))
                .start()
                .awaitReady(Duration.ofSeconds(30));
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> readiness = http.send(HttpRequest.newBuilder(process.baseUri().resolve("actuator/health/readiness")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(readiness.statusCode()).as("awaitReady returned before readiness").isEqualTo(200);
            String echo = http.send(HttpRequest.newBuilder(process.baseUri().resolve("echo")).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
            assertThat(echo).isEqualTo("from the env map");
        }
        assertThat(ProcessHandle.of(process.pid())).isPresent();
        assertThat(process.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(listensOnlyOnLoopback(process.port())).as("bound to 127.0.0.1 only").isTrue();

        int status = process.stop();

        assertThat(status).isEqualTo(143); // 128 + SIGTERM
        assertThat(process.exitDescription()).isEqualTo("signal 15");
        assertThat(process.stopRequested()).isTrue();
        assertThat(process.isAlive()).isFalse();
        assertThat(Files.readString(process.logFile())).contains("listening").contains("graceful stop");
    }

    @Test
    void killSkipsGracefulShutdown() throws Exception {
        RuntimeProcess process = RuntimeProcess.builder(fixtureJar)
                .logFile(workDirectory.resolve("killed.log"))
                .start()
                .awaitReady(Duration.ofSeconds(30));

        int status = process.kill();

        assertThat(status).isEqualTo(137); // 128 + SIGKILL
        assertThat(Files.readString(process.logFile())).contains("listening").doesNotContain("graceful stop");
    }

    @Test
    void aProcessThatDiesWhileStartingFailsWithItsLog() {
        RuntimeProcess process = RuntimeProcess.builder(fixtureJar)
                .name("doomed-app")
                .env("FIXTURE_FAIL", "no database")
                .logFile(workDirectory.resolve("failed.log"))
                .start();

        assertThatThrownBy(() -> process.awaitReady(Duration.ofSeconds(30)))
                .hasMessageContaining("doomed-app exited with status 3")
                .hasMessageContaining("boom: no database");
    }

    @Test
    void relaunchKeepsNamePortAndLogAndAppendsToIt() throws Exception {
        RuntimeProcess first = RuntimeProcess.builder(fixtureJar)
                .name("again")
                .logFile(workDirectory.resolve("again.log"))
                .start()
                .awaitReady(Duration.ofSeconds(30));
        first.handle().destroyForcibly();
        first.onExit().get();
        assertThat(first.stopRequested()).as("an exit nobody asked for").isFalse();
        assertThat(first.exitDescription()).isEqualTo("signal 9");

        RuntimeProcess second = first.relaunch().awaitReady(Duration.ofSeconds(30));
        try {
            assertThat(second.pid()).isNotEqualTo(first.pid());
            assertThat(second.port()).isEqualTo(first.port());
            assertThat(second.name()).isEqualTo("again");
            assertThat(Files.readString(second.logFile()).split("listening", -1)).hasSize(3); // both launches
        } finally {
            second.stop();
        }
    }

    @Test
    void aMissingJarSaysHowToBuildIt() {
        assertThatThrownBy(() -> RuntimeProcess.builder(workDirectory.resolve("flowfleet-worker.jar")).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not exist")
                .hasMessageContaining("-pl runtime-worker");
    }

    /** True when the port answers on 127.0.0.1 and refuses on every non-loopback address of this machine. */
    static boolean listensOnlyOnLoopback(int port) throws Exception {
        if (!connects(java.net.InetAddress.getLoopbackAddress(), port)) {
            return false;
        }
        for (java.net.NetworkInterface network : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            for (java.net.InetAddress address : java.util.Collections.list(network.getInetAddresses())) {
                if (!address.isLoopbackAddress() && !address.isLinkLocalAddress() && connects(address, port)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean connects(java.net.InetAddress address, int port) {
        try (java.net.Socket socket = new java.net.Socket()) {
            socket.connect(new java.net.InetSocketAddress(address, port), 1_000);
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
