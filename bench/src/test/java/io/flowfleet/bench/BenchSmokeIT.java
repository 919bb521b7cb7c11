package io.flowfleet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The harness end to end in smoke mode, against the real app and worker jars: the platform
 * starts, every scenario runs with zero errors, the results are well formed, nothing is left
 * running. Asserts no timing (benchmarks are not tests).
 */
class BenchSmokeIT {

    @Test
    void aSmokeRunProducesWellFormedResultsWithZeroErrors() throws Exception {
        Path root = Path.of(System.getProperty("flowfleet.root", "..")).toAbsolutePath().normalize();
        BenchOptions options = BenchOptions.smoke(root);
        assumeTrue(Files.isRegularFile(options.appJar()) && Files.isRegularFile(options.workerJar()),
                "skipped: the smoke benchmark needs " + options.appJar() + " and " + options.workerJar()
                        + " (./mvnw -B verify from the root builds them first)");

        BenchResult result = Bench.run(options, System.out);

        JsonNode json = new ObjectMapper().readTree(options.outputDirectory().resolve("latest.json").toFile());
        assertThat(json.at("/setup/smoke").asBoolean()).isTrue();
        assertThat(json.at("/warm/latency/count").asLong()).isEqualTo(options.warmCalls());
        assertThat(json.at("/warm/latency/errors").asLong()).isZero();
        assertThat(json.at("/warm/latency/p50Ms").asDouble()).isPositive();
        assertThat(json.at("/cold/latency/count").asLong()).isEqualTo(options.coldFlows());
        assertThat(json.at("/cold/latency/errors").asLong()).isZero();
        assertThat(json.at("/load")).hasSize(2);
        for (JsonNode load : json.get("load")) {
            assertThat(load.get("requests").asLong()).isPositive();
            assertThat(load.get("errors").asLong()).isZero();
            assertThat(load.get("cpuMsPerRun").fieldNames()).toIterable()
                    .containsExactly("app", "workers", "postgres", "redis", "s3", "loadgen", "total");
        }
        assertThat(json.at("/load/1/concurrency").asInt()).isEqualTo(4 * json.at("/load/0/concurrency").asInt());
        assertThat(json.at("/workerStart/measured").asBoolean()).as(result.workerStart().error()).isTrue();
        assertThat(json.at("/durability/checked").asBoolean()).isTrue();
        assertThat(json.at("/durability/stillOpen").asLong()).isZero();
        assertThat(json.at("/durability/runsByStatus/SUCCEEDED").asLong())
                .isGreaterThanOrEqualTo(json.at("/durability/successfulCalls").asLong());
        assertThat(json.at("/machine/cores").asInt()).isPositive();
        assertThat(json.at("/versions/postgres").asText()).isNotEqualTo("unknown");
        assertThat(json.get("processesLeftRunning")).isEmpty();
        assertThat(Files.readString(options.outputDirectory().resolve("latest.md")))
                .contains("| warm sync p50").contains("163 ms").contains("CPU per run");
    }
}
