package io.flowfleet.bench;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class CpuMeterTest {

    @Test
    void perRunCpuPerGroupWithTheLoadGeneratorLeftOutOfThePlatformTotal() {
        Map<String, Double> before = new LinkedHashMap<>();
        before.put("app", 10.0);
        before.put("workers", 20.0);
        before.put(CpuMeter.LOAD_GENERATOR, 5.0);
        Map<String, Double> after = new LinkedHashMap<>();
        after.put("app", 11.0);      // 1 s over 1,000 runs: 1 ms per run
        after.put("workers", 22.0);  // 2 ms per run
        after.put(CpuMeter.LOAD_GENERATOR, 8.0);

        Map<String, Double> perRun = CpuMeter.perRunMillis(before, after, 1_000);

        assertThat(perRun).containsEntry("app", 1.0).containsEntry("workers", 2.0)
                .containsEntry(CpuMeter.LOAD_GENERATOR, 3.0).containsEntry("total", 3.0);
        assertThat(CpuMeter.perRunMillis(before, after, 0)).isEmpty();
    }
}
