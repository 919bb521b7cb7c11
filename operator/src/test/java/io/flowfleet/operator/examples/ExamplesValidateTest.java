package io.flowfleet.operator.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every manifest in examples/ is what `kubectl apply` would accept: it parses, and each FlowPlatform and
 * WorkerGroup passes the committed CRD's schema and CEL rules (the fabric8 mock server checks neither, so
 * this is where they are checked). Variants the CRD must refuse are refused.
 */
class ExamplesValidateTest {

  private static final String PEAK_50 = "platform-peak-50.yaml";

  /** The Secret keys pods read through secretKeyRef, per store (docs/architecture.md). */
  private static final Map<String, List<String>> SECRET_KEYS_BY_STORE = Map.of(
      "postgres", List.of("url", "username", "password"),
      "redis", List.of("url"),
      "s3", List.of("bucket", "accessKeyId", "secretAccessKey"));

  /** Keys whose values are credentials: in examples they must be visible placeholders. */
  private static final List<String> CREDENTIAL_KEYS = List.of("password", "accessKeyId", "secretAccessKey", "apiKey");

  private static Path examples;
  private static Map<String, CrdSchema> schemas;
  private static List<JsonNode> documents;

  @BeforeAll
  static void loadExamplesAndCrds() {
    Path root = Manifests.repositoryRoot();
    examples = root.resolve("examples");
    schemas = CrdSchema.loadAll(root.resolve("crds"));
    documents = new ArrayList<>();
    Manifests.yamlFiles(examples).forEach(file -> documents.addAll(Manifests.documents(file)));
  }

  @Test
  void everyExampleParsesIntoNamedKubernetesObjects() {
    assertThat(Manifests.yamlFiles(examples)).extracting(p -> p.getFileName().toString())
        .contains(PEAK_50, "platform-peak-50-secrets.yaml", "platform-dev.yaml", "workergroup-tenants.yaml");
    assertThat(documents).allSatisfy(d -> {
      assertThat(d.path("apiVersion").asText()).as("apiVersion of %s", d).isNotBlank();
      assertThat(d.path("kind").asText()).as("kind of %s", d).isNotBlank();
      assertThat(d.path("metadata").path("name").asText()).as("metadata.name of %s", d).isNotBlank();
    });
    assertThat(Manifests.ofKind(documents, "FlowPlatform")).hasSizeGreaterThanOrEqualTo(2);
    assertThat(Manifests.ofKind(documents, "WorkerGroup")).isNotEmpty();
  }

  @Test
  void theCrdsDefineBothKindsWithRulesThisTestCanEvaluate() {
    assertThat(schemas).containsKeys("FlowPlatform", "WorkerGroup");
    // A rule that does not compile here would leave the examples unchecked: every rule must compile.
    schemas.values().forEach(schema -> CelRules.rules(schema.openApiSchema())
        .forEach(rule -> assertThat(CelRules.compile(rule.expression())).as(rule.expression()).isNotNull()));
    assertThat(CelRules.rules(schemas.get("FlowPlatform").openApiSchema())).isNotEmpty();
  }

  @Test
  void everyFlowfleetResourceMatchesItsCrdSchemaAndRules() {
    List<JsonNode> resources = documents.stream().filter(d -> d.path("apiVersion").asText().startsWith("flowfleet.io/"))
        .toList();

    assertThat(resources).isNotEmpty().allSatisfy(resource -> {
      String kind = resource.path("kind").asText();
      String name = resource.path("metadata").path("name").asText();
      assertThat(schemas).as("a CRD for kind %s", kind).containsKey(kind);
      CrdSchema schema = schemas.get(kind);
      assertThat(resource.path("apiVersion").asText()).as("apiVersion of %s %s", kind, name).isEqualTo(schema.apiVersion());
      assertThat(schema.validate(resource)).as("schema errors of %s %s", kind, name).isEmpty();
      assertThat(CelRules.violations(schema.openApiSchema(), schema.withDefaults(resource)))
          .as("CEL rule violations of %s %s", kind, name).isEmpty();
    });
  }

  @Test
  void everyReferencedSecretIsInTheExamplesWithTheKeysPodsRead() {
    for (JsonNode platform : Manifests.ofKind(documents, "FlowPlatform")) {
      String namespace = platform.path("metadata").path("namespace").asText();
      JsonNode spec = platform.path("spec");
      SECRET_KEYS_BY_STORE.forEach((store, keys) ->
          assertThat(secretKeys(namespace, spec.path(store).path("secretName").asText()))
              .as("keys of the %s Secret of platform %s", store, platform.path("metadata").path("name").asText())
              .containsAll(keys));
      assertThat(secretKeys(namespace, spec.path("apiKeySecretRef").path("name").asText())).contains("apiKey");
    }
  }

  @Test
  void credentialsInExampleSecretsAreMarkedPlaceholders() {
    List<JsonNode> secrets = Manifests.ofKind(documents, "Secret");

    assertThat(secrets).isNotEmpty().allSatisfy(secret -> {
      assertThat(secret.has("data")).as("Secret %s keeps readable stringData, not base64 data", secret.path("metadata"))
          .isFalse();
      secret.path("stringData").properties().forEach(entry -> {
        if (CREDENTIAL_KEYS.contains(entry.getKey())) {
          assertThat(entry.getValue().asText()).as("%s of Secret %s", entry.getKey(), secret.path("metadata").path("name"))
              .contains("CHANGE-ME");
        }
      });
    });
  }

  @Test
  void peak50PlatformIsSizedForFiftyFlowsInOneRegion() {
    JsonNode platform = Manifests.ofKind(Manifests.documents(examples.resolve(PEAK_50)), "FlowPlatform").getFirst();
    JsonNode spec = platform.path("spec");

    assertThat(spec.path("peakConcurrentFlows").asInt()).isEqualTo(50);
    assertThat(List.of("postgres", "redis", "s3")).allSatisfy(store ->
        assertThat(spec.path(store).path("region").asText()).isEqualTo(spec.path("region").asText()));
  }

  @Test
  void workerGroupsUseTheProcessSandboxForAPlatformOfTheExamples() {
    assertThat(Manifests.ofKind(documents, "WorkerGroup")).allSatisfy(group -> {
      CrdSchema schema = schemas.get("WorkerGroup");
      JsonNode spec = schema.withDefaults(group).path("spec");
      assertThat(spec.path("execution").path("mode").asText()).isEqualTo("SANDBOX_PROCESS");
      assertThat(spec.path("projects").size()).isPositive();
      String platform = spec.path("platformRef").path("name").asText();
      assertThat(Manifests.ofKind(documents, "FlowPlatform"))
          .anySatisfy(p -> {
            assertThat(p.path("metadata").path("name").asText()).isEqualTo(platform);
            assertThat(p.path("metadata").path("namespace")).isEqualTo(group.path("metadata").path("namespace"));
          });
    });
  }

  // -- what the CRD itself must refuse

  @Test
  void peakBelowOneIsRefused() {
    JsonNode zero = variant(PEAK_50, spec -> spec.put("peakConcurrentFlows", 0));
    CrdSchema schema = schemas.get("FlowPlatform");

    assertThat(schema.validate(zero)).anySatisfy(e -> assertThat(e).contains("peakConcurrentFlows"));
    assertThat(CelRules.violations(schema.openApiSchema(), schema.withDefaults(zero)))
        .anySatisfy(v -> assertThat(v).contains("peakConcurrentFlows must be at least 1"));
  }

  @Test
  void platformWithoutS3IsRefused() {
    JsonNode withoutS3 = variant(PEAK_50, spec -> spec.remove("s3"));
    CrdSchema schema = schemas.get("FlowPlatform");

    assertThat(schema.validate(withoutS3)).anySatisfy(e -> assertThat(e).contains("s3"));
    assertThat(CelRules.violations(schema.openApiSchema(), schema.withDefaults(withoutS3)))
        .anySatisfy(v -> assertThat(v).contains("spec.s3 is required"));
  }

  @Test
  void misspelledFieldIsRefusedNotSilentlyDropped() {
    JsonNode typo = variant(PEAK_50, spec -> spec.put("peakConcurentFlows", 50));

    assertThat(schemas.get("FlowPlatform").validate(typo)).anySatisfy(e -> assertThat(e).contains("peakConcurentFlows"));
  }

  @Test
  void storeWithoutRegionOrSecretIsRefused() {
    CrdSchema schema = schemas.get("FlowPlatform");

    assertThat(schema.validate(variant(PEAK_50, spec -> ((ObjectNode) spec.get("redis")).remove("region"))))
        .anySatisfy(e -> assertThat(e).contains("region"));
    assertThat(schema.validate(variant(PEAK_50, spec -> ((ObjectNode) spec.get("postgres")).put("secretName", "Not_A_Name"))))
        .anySatisfy(e -> assertThat(e).contains("secretName"));
  }

  @Test
  void workerGroupWithoutProjectsOrWithARoutingSeparatorIsRefused() {
    CrdSchema schema = schemas.get("WorkerGroup");
    JsonNode noProjects = variant("workergroup-tenants.yaml", spec -> spec.putArray("projects"));
    JsonNode separator = variant("workergroup-tenants.yaml", spec -> spec.putArray("projects").add("acme=x"));

    assertThat(schema.validate(noProjects)).anySatisfy(e -> assertThat(e).contains("projects"));
    assertThat(CelRules.violations(schema.openApiSchema(), schema.withDefaults(separator)))
        .anySatisfy(v -> assertThat(v).contains("spec.projects"));
  }

  // -- helpers

  /** The first Flowfleet resource of an example file, its spec changed. */
  private static JsonNode variant(String file, Consumer<ObjectNode> change) {
    JsonNode resource = Manifests.documents(examples.resolve(file)).stream()
        .filter(d -> d.path("apiVersion").asText().startsWith("flowfleet.io/")).findFirst().orElseThrow().deepCopy();
    change.accept((ObjectNode) resource.get("spec"));
    return resource;
  }

  private static List<String> secretKeys(String namespace, String name) {
    return Manifests.ofKind(documents, "Secret").stream()
        .filter(s -> s.path("metadata").path("name").asText().equals(name)
            && s.path("metadata").path("namespace").asText().equals(namespace))
        .findFirst()
        .map(s -> {
          List<String> keys = new ArrayList<>();
          s.path("stringData").fieldNames().forEachRemaining(keys::add);
          return keys;
        })
        .orElseThrow(() -> new AssertionError("no Secret " + namespace + "/" + name + " in examples/"));
  }
}
