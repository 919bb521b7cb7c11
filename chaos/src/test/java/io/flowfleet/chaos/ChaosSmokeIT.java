package io.flowfleet.chaos;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The chaos suite in smoke form, against the real app and worker jars: a few runs, every fault
 * kind once, no timing asserted beyond the callers' timeout (budget + 15 s). Asserts the report's
 * shape and the figures that must hold: nothing lost, stuck, stored twice, repeated without a worker
 * death, or hung.
 */
class ChaosSmokeIT {

    @Test
    void everyFaultOnceLosesNothingRepeatsNothingWithoutAWorkerDeathAndHangsNoCaller() throws Exception {
        Path root = Path.of(System.getProperty("flowfleet.root", "..")).toAbsolutePath().normalize();
        ChaosOptions options = ChaosOptions.smoke(root);
        assumeTrue(Files.isRegularFile(options.appJar()) && Files.isRegularFile(options.workerJar()),
                "skipped: the chaos smoke run needs " + options.appJar() + " and " + options.workerJar()
                        + " (./mvnw -B verify from the root builds them first)");

        ChaosRun.Outcome outcome = ChaosRun.run(options, System.out);
        ChaosReportWriter.write(outcome, options.outputDirectory());
        System.out.println(ChaosReportWriter.markdown(outcome));

        JsonNode json = new ObjectMapper().readTree(options.outputDirectory().resolve("chaos.json").toFile());
        assertThat(json.fieldNames()).toIterable().containsExactly("faults", "accepted", "terminal", "lost", "stuck",
                "storedTwice", "sideEffects", "sync");
        List<String> kinds = new ArrayList<>();
        for (JsonNode fault : json.get("faults")) {
            kinds.add(fault.get("kind").asText());
            assertThat(fault.get("count").asLong()).as("count of %s", fault.get("kind")).isGreaterThanOrEqualTo(1);
        }
        assertThat(kinds).containsExactly("worker-kill", "worker-pause", "worker-term", "redis-restart-stale",
                "redis-restart-empty", "postgres-crash", "app-kill");
        assertThat(json.get("accepted").asLong()).isPositive();
        assertThat(json.at("/terminal/SUCCEEDED").asLong()).isPositive();
        assertThat(json.at("/sideEffects/executions").asLong()).isPositive();
        assertThat(json.at("/sync/sent").asLong()).isPositive();
        assertThat(json.get("lost").asLong()).as("lost").isZero();
        assertThat(json.get("stuck").asLong()).as("stuck").isZero();
        assertThat(json.get("storedTwice").asLong()).as("storedTwice").isZero();
        assertThat(json.at("/sideEffects/repeatedWithoutWorkerDeath").asLong())
                .as("repeatedWithoutWorkerDeath (chaos.md's notes name the fault before each)").isZero();
        assertThat(json.at("/sync/hung").asLong()).as("hung").isZero();
        assertThat(Files.readString(options.outputDirectory().resolve("chaos.md"))).contains("| lost | 0 | 0 |");
    }
}
