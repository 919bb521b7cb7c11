package io.flowfleet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ReportWriterTest {

    private static BenchResult result(double warmP50, double warmP99, double coldP50, double topRate, double topP99, long topErrors) {
        return new BenchResult("2026-11-22T05:00:00Z", 180.5,
                new BenchResult.Machine(2, "Test CPU", 24_000, "Linux", 0.5),
                new BenchResult.Versions("0.1.0-SNAPSHOT", "abc1234", "Temurin 25", "18.1", "6.2.6", "4.1.0"),
                new BenchResult.Setup(2, 1, 2, "examples/flows/seed-benchmark.json", false, false, "defaults", "interpreter"),
                20.0,
                new BenchResult.Idle(5, Map.of("app", 0.01, "workers", 0.02, "total", 0.03)),
                new BenchResult.Warm(300, new LatencySummary(1000, 0, warmP50, warmP50 + 0.5, warmP99 - 1, warmP99, 40),
                        Map.of("app", 0.4, "total", 1.2), Map.of("webhook.sync", 1.1, "run", 0.6, "step.code", 0.05),
                        new LatencySummary(1000, 0, 0.3, 0.35, 0.5, 0.9, 2), null),
                List.of(new BenchResult.Load(2, 20, 20_000, 0, 1000, 1.9, 4, 2, Map.of(), null),
                        new BenchResult.Load(8, 20, 24_000, topErrors, topRate, 6, topP99, 7, Map.of(), topErrors > 0 ? "status 500: x" : null)),
                new BenchResult.Cold(20, new LatencySummary(20, 0, coldP50, coldP50, coldP50 * 2, coldP50 * 2, coldP50 * 2), null),
                new BenchResult.WorkerStart(true, 6.5, 7.25, null),
                new BenchResult.Durability(true, 50_000, 50_000, Map.of("SUCCEEDED", 50_000L), 0, "every successful call stored"),
                List.of(), List.of());
    }

    @Test
    void putsFiguresNextToTheSeedWithRatiosAndTargets() {
        String md = ReportWriter.markdown(result(1.63, 10, 100, 1200, 30, 0));

        assertThat(md).contains("| warm sync p50 (1000 sequential calls) | 1.63 ms | 163 ms | 100x | <= 3 ms | yes |");
        assertThat(md).contains("| warm sync p99 | 10.0 ms | 343 ms | 34.3x | <= 15 ms | yes |");
        assertThat(md).contains("| cold first call p50 (20 fresh flows) | 100 ms | 2000 ms | 20.0x | <= 150 ms | yes |");
        assertThat(md).contains("| load, concurrency 8 (4 x slots): runs/s | 1200 | 93.5 (4 apps, 40 workers) | 12.8x | >= 1,000 | yes |");
        assertThat(md).contains("| load, concurrency 8 (4 x slots): errors | 0 of 24000 | | | 0 | yes |");
        assertThat(md).contains("| worker process start to first served run | 7250 ms |");
        assertThat(md).contains("| app: sync webhook, request in to response out (flowfleet_webhook) | 1.10 |")
                .contains("| worker: step code (flowfleet_step) | 0.05 |")
                .contains("| HTTP floor: GET /actuator/health/liveness on the app, same client, sequential (p50 0.30 ms) | 0.35 |")
                .contains("| idle (cores busy, no calls, 5.00 s) | 0.01 | 0.02 |");
        assertThat(md).contains("2 cores").contains("PostgreSQL 18.1").contains("N = 2 worker process(es)");
    }

    @Test
    void marksMissedTargetsAndShowsTheFirstError() {
        String md = ReportWriter.markdown(result(5, 20, 200, 800, 80, 3));

        assertThat(md).contains("| warm sync p50 (1000 sequential calls) | 5.00 ms | 163 ms | 32.6x | <= 3 ms | **no** |");
        assertThat(md).contains("| <= 15 ms | **no** |");
        assertThat(md).contains("| >= 1,000 | **no** |");
        assertThat(md).contains("| load, concurrency 8 (4 x slots): errors | 3 of 24000 | | | 0 | **no** |");
        assertThat(md).contains("First error in load 8: `status 500: x`");
    }

    @Test
    void writesJsonAndMarkdown(@TempDir Path directory) throws Exception {
        ReportWriter.write(result(1.63, 10, 100, 1200, 30, 0), directory);

        JsonNode json = new ObjectMapper().readTree(directory.resolve("latest.json").toFile());
        assertThat(json.at("/warm/latency/p50Ms").asDouble()).isEqualTo(1.63);
        assertThat(json.at("/load/1/concurrency").asInt()).isEqualTo(8);
        assertThat(json.at("/machine/cores").asInt()).isEqualTo(2);
        assertThat(Files.readString(directory.resolve("latest.md"))).startsWith("# Flowfleet benchmark");
        assertThat(directory.resolve("latest.json.tmp")).doesNotExist();
    }
}
