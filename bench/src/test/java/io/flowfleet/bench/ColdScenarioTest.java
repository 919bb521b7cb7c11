package io.flowfleet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class ColdScenarioTest {

    @Test
    void aFreshVariantHasItsOwnNameAndCodeTextButTheSameSteps() throws Exception {
        String seed = Files.readString(Path.of("..", "examples", "flows", "seed-benchmark.json"));
        ObjectMapper json = new ObjectMapper();

        JsonNode original = json.readTree(seed);
        JsonNode variant = json.readTree(ColdScenario.freshVariant(seed, "cold-7"));

        assertThat(variant.get("name").asText()).isEqualTo(original.get("name").asText() + "-cold-7");
        assertThat(variant.get("steps")).hasSameSizeAs(original.get("steps"));
        for (int i = 0; i < original.get("steps").size(); i++) {
            JsonNode before = original.get("steps").get(i);
            JsonNode after = variant.get("steps").get(i);
            assertThat(after.get("type")).isEqualTo(before.get("type"));
            if ("code".equals(before.get("type").asText())) {
                assertThat(after.at("/settings/code").asText())
                        .startsWith(before.at("/settings/code").asText())
                        .contains("// cold-7");
            } else {
                assertThat(after).isEqualTo(before);
            }
        }
    }
}
