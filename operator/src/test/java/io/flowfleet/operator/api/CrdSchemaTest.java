package io.flowfleet.operator.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowfleet.operator.examples.CrdSchema;
import io.flowfleet.operator.examples.Manifests;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The committed CRDs as kubectl and the API server see them: described everywhere, typed lists, quantities. */
class CrdSchemaTest {

  static final Path COMMITTED = Path.of("../crds");
  static final Map<String, CrdSchema> SCHEMAS = CrdSchema.loadAll(COMMITTED);

  /** What `kubectl explain` walks: every property, every list item and every map value of object type. */
  @Test
  void everySchemaNodeHasADescription() {
    for (JsonNode crd : crds()) {
      String kind = crd.path("spec").path("names").path("kind").asText();
      for (JsonNode version : crd.path("spec").path("versions")) {
        List<String> undocumented = new ArrayList<>();
        List<String> walked = new ArrayList<>();
        walk(version.path("schema").path("openAPIV3Schema"), "", undocumented, walked);
        assertThat(walked).as("%s nodes walked", kind).contains("", ".spec", ".status", ".status.conditions[*]",
            ".status.conditions[*].type");
        assertThat(undocumented).as("%s %s: schema nodes without a description", kind,
            version.path("name").asText()).isEmpty();
      }
    }
    // the embedded Kubernetes types are described too, not just present
    JsonNode env = node("FlowPlatform", ".spec.worker.env[*].valueFrom.secretKeyRef.name");
    assertThat(env.path("description").asText()).isEqualTo("Name of the Secret.");
    assertThat(node("WorkerGroup", ".spec.worker.resources.limits").path("description").asText()).contains("quantities");
  }

  @Test
  void listsAreTypedSoServerSideApplyMergesThemByKey() {
    for (String kind : List.of("FlowPlatform", "WorkerGroup")) {
      JsonNode conditions = node(kind, ".status.conditions");
      assertThat(conditions.path("x-kubernetes-list-type").asText()).isEqualTo("map");
      assertThat(conditions.path("x-kubernetes-list-map-keys")).extracting(JsonNode::asText).containsExactly("type");
      assertThat(conditions.path("items").path("required")).extracting(JsonNode::asText).contains("type");
      JsonNode env = node(kind, ".spec.worker.env");
      assertThat(env.path("x-kubernetes-list-type").asText()).isEqualTo("map");
      assertThat(env.path("x-kubernetes-list-map-keys")).extracting(JsonNode::asText).containsExactly("name");
      assertThat(node(kind, ".status.warnings").path("x-kubernetes-list-type").asText()).isEqualTo("atomic");
    }
    assertThat(node("WorkerGroup", ".spec.projects").path("x-kubernetes-list-type").asText()).isEqualTo("set");
  }

  @Test
  void resourceQuantitiesMustBeKubernetesQuantities() {
    CrdSchema platforms = SCHEMAS.get("FlowPlatform");
    for (String good : List.of("500m", "2", "1.5", "1Gi", "512Mi", "1e3")) {
      assertThat(platforms.validate(platformWithCpu(good))).as(good).isEmpty();
    }
    for (String bad : List.of("1 CPU", "one", "1GB", "-")) {
      assertThat(platforms.validate(platformWithCpu(bad))).as(bad).isNotEmpty();
    }
    assertThat(SCHEMAS.get("WorkerGroup").openApiSchema().toString()).contains(CrdFinish.QUANTITY.replace("\\", "\\\\"));
  }

  @Test
  void bothKindsAreInTheFlowfleetCategoryWithShortNames() {
    for (JsonNode crd : crds()) {
      JsonNode names = crd.path("spec").path("names");
      assertThat(names.path("categories")).extracting(JsonNode::asText).containsExactly("flowfleet");
      assertThat(names.path("shortNames")).extracting(JsonNode::asText)
          .containsExactly(names.path("kind").asText().equals("FlowPlatform") ? "fp" : "wg");
    }
  }

  @Test
  void imagesTakeATagOrADigestButNotBothInTheTag() {
    CrdSchema platforms = SCHEMAS.get("FlowPlatform");
    ObjectNode platform = platformWithCpu("1");
    ObjectNode image = ((ObjectNode) platform.path("spec").path("worker")).putObject("image");
    image.put("repository", "registry.example/worker").put("digest", "sha256:" + "a1".repeat(32));
    assertThat(platforms.validate(platform)).isEmpty();
    image.put("digest", "sha256:short");
    assertThat(platforms.validate(platform)).isNotEmpty();
    image.remove("digest");
    image.put("tag", "1.0@sha256:" + "a1".repeat(32));
    assertThat(platforms.validate(platform)).as("a digest belongs in digest, not the tag").isNotEmpty();
  }

  /** kubectl scale and planned-peak tooling set the peak through the scale subresource; sizing stays static. */
  @Test
  void theScaleSubresourceIsThePeak() {
    for (JsonNode crd : crds()) {
      JsonNode scale = crd.path("spec").path("versions").get(0).path("subresources").path("scale");
      assertThat(scale.path("specReplicasPath").asText()).isEqualTo(".spec.peakConcurrentFlows");
      assertThat(scale.path("statusReplicasPath").asText()).isEqualTo(".status.readySlots");
      assertThat(scale.path("labelSelectorPath").asText()).isEqualTo(".status.selector");
      assertThat(crd.path("spec").path("versions").get(0).path("subresources").has("status")).isTrue();
    }
  }

  private static ObjectNode platformWithCpu(String cpu) {
    ObjectNode platform = (ObjectNode) Manifests.documents("""
        apiVersion: flowfleet.io/v1alpha1
        kind: FlowPlatform
        metadata: {name: p, namespace: flows}
        spec:
          peakConcurrentFlows: 2
          region: eu-west-1
          apiKeySecretRef: {name: api-key}
          postgres: {secretName: pg, region: eu-west-1}
          redis: {secretName: redis, region: eu-west-1}
          s3: {secretName: s3, region: eu-west-1}
          worker:
            resources:
              requests: {memory: 1Gi}
        """).getFirst();
    ((ObjectNode) platform.path("spec").path("worker").path("resources").path("requests")).put("cpu", cpu);
    return platform;
  }

  private static void walk(JsonNode node, String path, List<String> undocumented, List<String> walked) {
    walked.add(path);
    if (node.path("description").asText("").isBlank()) {
      undocumented.add(path.isEmpty() ? "<root>" : path);
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.path("properties").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> property = it.next();
      walk(property.getValue(), path + "." + property.getKey(), undocumented, walked);
    }
    if (node.path("items").isObject()) {
      walk(node.get("items"), path + "[*]", undocumented, walked);
    }
    if (node.path("additionalProperties").path("type").asText().equals("object")) {
      walk(node.get("additionalProperties"), path + "{*}", undocumented, walked);
    }
  }

  static JsonNode node(String kind, String path) {
    JsonNode node = SCHEMAS.get(kind).openApiSchema();
    for (String part : path.substring(1).split("\\.")) {
      boolean item = part.endsWith("[*]");
      node = node.path("properties").path(item ? part.substring(0, part.length() - 3) : part);
      if (item) {
        node = node.path("items");
      }
    }
    assertThat(node.isMissingNode()).as(kind + path).isFalse();
    return node;
  }

  static List<JsonNode> crds() {
    List<JsonNode> crds = new ArrayList<>();
    Manifests.yamlFiles(COMMITTED).forEach(f -> crds.addAll(Manifests.ofKind(Manifests.documents(f),
        "CustomResourceDefinition")));
    assertThat(crds).hasSize(2);
    return crds;
  }
}
