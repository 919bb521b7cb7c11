package io.flowfleet.local;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Launching a jar as a child process, waiting for readiness, SIGTERM and SIGKILL. */
class RuntimeProcessTest {

    @TempDir
    static Path workDirectory;
    private static Path fixtureJar;

    /** A jar whose manifest runs {@link ReadinessFixture} from the test classes. */
    @BeforeAll
    static void buildFixtureJar() throws Exception {
        Path testClasses = Path.of(ReadinessFixture.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.MAIN_CLASS, ReadinessFixture.class.getName());
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, testClasses.toUri().toString());
        fixtureJar = workDirectory.resolve("fixture.jar");
        try (OutputStream out = Files.newOutputStream(fixtureJar); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
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

        int status = process.stop();

        assertThat(status).isEqualTo(143); // 128 + SIGTERM
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
    void aMissingJarSaysHowToBuildIt() {
        assertThatThrownBy(() -> RuntimeProcess.builder(workDirectory.resolve("flowfleet-worker.jar")).start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("does not exist")
                .hasMessageContaining("-pl runtime-worker");
    }
}
