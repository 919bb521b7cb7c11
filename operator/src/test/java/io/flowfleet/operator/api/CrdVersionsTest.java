package io.flowfleet.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowfleet.operator.examples.Manifests;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The versions both CRDs serve and store are the ones the versioning plan (docs/operator.md, "Versioning")
 * says they are now: moving a step of the plan means changing the table and the CRDs together.
 */
class CrdVersionsTest {

  @Test
  void servedAndStorageVersionsAreWhatThePlanSays() throws IOException {
    List<String> planned = plannedVersions();
    assertThat(planned).as("rows of the table in docs/operator.md, Versioning").isNotEmpty();
    for (JsonNode crd : CrdSchemaTest.crds()) {
      List<String> actual = new ArrayList<>();
      int storage = 0;
      for (JsonNode version : crd.path("spec").path("versions")) {
        actual.add(version.path("name").asText() + " " + version.path("served").asBoolean() + " "
            + version.path("storage").asBoolean() + " " + version.path("deprecated").asBoolean(false));
        storage += version.path("storage").asBoolean() ? 1 : 0;
      }
      assertThat(actual).as(crd.path("metadata").path("name").asText()).containsExactlyInAnyOrderElementsOf(planned);
      assertThat(storage).as("exactly one storage version").isEqualTo(1);
    }
    // the Java types are the storage version's
    assertThat(planned).anyMatch(row -> row.equals(FlowPlatform.VERSION + " true true false"));
  }

  private static List<String> plannedVersions() throws IOException {
    List<String> lines = Files.readAllLines(Manifests.repositoryRoot().resolve("docs/operator.md"));
    int section = lines.indexOf("## Versioning: v1alpha1 to v1beta1");
    assertThat(section).as("a Versioning section in docs/operator.md").isNotNegative();
    List<String> rows = new ArrayList<>();
    for (String line : lines.subList(section + 1, lines.size())) {
      if (line.startsWith("## ")) {
        break;
      }
      String[] cells = line.split("\\|");
      if (line.startsWith("| v") && cells.length >= 5 && !cells[1].trim().equals("version")) {
        rows.add(cells[1].trim() + " " + cells[2].trim() + " " + cells[3].trim() + " " + cells[4].trim());
      }
    }
    return rows;
  }
}
