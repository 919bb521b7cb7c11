package io.flowfleet.core.store;

import io.flowfleet.core.flow.RunStatus;
import io.flowfleet.core.config.RuntimeConfig;
import io.flowfleet.local.LocalPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Every outcome of the flow engine (io.flowfleet.core.flow.RunStatus) can be stored, by the same name. */
class RunStatusStorageTest {
    @TempDir
    static Path dir;
    static LocalPostgres postgres;
    static Database database;
    static FlowStore flows;
    static RunStore runs;

    @BeforeAll
    static void start() {
        postgres = LocalPostgres.start(dir.resolve("pg"));
        database = Database.open(RuntimeConfig.from(Map.of(
                "AP_POSTGRES_URL", postgres.jdbcUrl(), "AP_POSTGRES_USERNAME", postgres.username(),
                "AP_POSTGRES_PASSWORD", postgres.password(), "AP_REDIS_URL", "redis://unused:6379", "AP_S3_BUCKET", "unused")), "test");
        flows = new FlowStore(database.dataSource());
        runs = new RunStore(database.dataSource(), database.relaxedDataSource());
    }

    @AfterAll
    static void stop() {
        if (database != null) database.close();
        if (postgres != null) postgres.close();
    }

    @Test
    void everyEngineOutcomeIsStored() {
        String flow = UUID.randomUUID().toString();
        flows.create(flow, "p", "f", "flowfleet", "{\"steps\":[]}");
        flows.publish(flow, flow + "-v1", "{\"steps\":[]}", "bundles/" + flow + "/v1.json").orElseThrow();
        for (RunStatus status : RunStatus.values()) {
            if (!status.terminal()) continue; // an engine outcome is always terminal
            UUID runId = runs.accept(UUID.randomUUID(), flow, false, "{}", "{}", "default").orElseThrow().runId();
            runs.claim(runId, "w1", Duration.ofSeconds(30)).orElseThrow();
            assertThat(runs.complete(new RunOutcome(runId, 1, "w1", status, null, null, List.of()))).as(status.name()).isTrue();
            assertThat(runs.find(runId).orElseThrow().status()).isEqualTo(status);
        }
    }
}
