package io.flowfleet.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderCommandTest {

  static final String PLATFORM = """
      apiVersion: flowfleet.io/v1alpha1
      kind: FlowPlatform
      metadata:
        name: prod
        namespace: flows
      spec:
        peakConcurrentFlows: 50
        region: eu-west-1
        apiKeySecretRef: {name: api-key}
        postgres: {secretName: pg, region: eu-west-1}
        redis: {secretName: redis, region: REDIS_REGION}
        s3: {secretName: s3, region: eu-west-1}
      """;
  static final String GROUP = """
      apiVersion: flowfleet.io/v1alpha1
      kind: WorkerGroup
      metadata:
        name: premium
        namespace: flows
      spec:
        platformRef: {name: prod}
        projects: [acme, globex]
        peakConcurrentFlows: 10
        execution: {mode: MODE}
      """;

  @TempDir
  Path dir;

  @Test
  void peakFiftyRendersFiftyWorkersAndFiveApps() throws IOException {
    Result result = run("-f", write("platform.yaml", PLATFORM.replace("REDIS_REGION", "eu-west-1")));
    assertThat(result.exit).isZero();
    assertThat(result.kinds()).containsExactly("ConfigMap", "Service", "Deployment", "PodDisruptionBudget",
        "Deployment", "PodDisruptionBudget");
    assertThat(result.deployment("prod-worker").path("spec").path("replicas").asInt()).isEqualTo(50);
    assertThat(result.deployment("prod-app").path("spec").path("replicas").asInt()).isEqualTo(5);
    assertThat(result.err).contains("not checked offline").contains("flows/pg");
  }

  @Test
  void theExamplePlatformRendersFiftyWorkersAndFiveApps() throws IOException {
    Result result = run("-f", "../examples/platform-peak-50-secrets.yaml", "-f", "../examples/platform-peak-50.yaml");
    assertThat(result.exit).as(result.err).isZero();
    assertThat(result.deployment("production-worker").path("spec").path("replicas").asInt()).isEqualTo(50);
    assertThat(result.deployment("production-app").path("spec").path("replicas").asInt()).isEqualTo(5);
  }

  @Test
  void aWorkerGroupRendersWithItsPlatformAndAddsItsRoutes() throws IOException {
    Result result = run("-f", write("platform.yaml", PLATFORM.replace("REDIS_REGION", "eu-west-1")),
        "-f", write("group.yaml", GROUP.replace("MODE", "SANDBOX_PROCESS")));
    assertThat(result.exit).as(result.err).isZero();
    assertThat(result.documents).hasSize(8);
    assertThat(result.documents.getFirst().path("data").path("AP_QUEUE_ROUTES").asText())
        .isEqualTo("acme=premium,globex=premium");
    assertThat(result.deployment("prod-group-premium").path("spec").path("replicas").asInt()).isEqualTo(10);
  }

  @Test
  void invalidResourcesExitTwoWithEachReasonOnStderrAndNothingOnStdout() throws IOException {
    Result result = run("-f", write("platform.yaml", PLATFORM.replace("REDIS_REGION", "us-east-1")),
        "-f", write("group.yaml", GROUP.replace("MODE", "SANDBOX_CODE_ONLY")));
    assertThat(result.exit).isEqualTo(2);
    assertThat(result.out).isEmpty();
    assertThat(result.err).contains("FlowPlatform flows/prod: RegionMismatch: redis (spec.redis.region) is in us-east-1")
        .contains("WorkerGroup flows/premium: CodeOnlyModeInWorkerGroup:")
        .contains("WorkerGroup flows/premium: PlatformInvalid:");
  }

  @Test
  void secretsInTheGivenFilesAreChecked() throws IOException {
    String secrets = """
        apiVersion: v1
        kind: Secret
        metadata: {name: pg, namespace: flows}
        stringData: {url: "jdbc:postgresql://db/x", username: u}
        """;
    Result result = run("-f", write("secrets.yaml", secrets),
        "-f", write("platform.yaml", PLATFORM.replace("REDIS_REGION", "eu-west-1")));
    assertThat(result.exit).isEqualTo(2);
    assertThat(result.err).contains("SecretKeyMissing: Secret pg (spec.postgres.secretName) in namespace flows lacks key(s) password");
  }

  @Test
  void aGroupWithoutItsPlatformFileIsRefusedWithAHint() throws IOException {
    Result result = run("-f", write("group.yaml", GROUP.replace("MODE", "SANDBOX_PROCESS")));
    assertThat(result.exit).isEqualTo(2);
    assertThat(result.err).contains("PlatformNotFound").contains("add its file with -f");
  }

  @Test
  void readsStandardInputForADash() throws IOException {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int exit = RenderCommand.run(List.of("-f", "-"),
        new java.io.ByteArrayInputStream(PLATFORM.replace("REDIS_REGION", "eu-west-1").getBytes(StandardCharsets.UTF_8)),
        new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
    Result result = new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    assertThat(result.deployment("prod-worker").path("spec").path("replicas").asInt()).isEqualTo(50);
  }

  @Test
  void usageMistakesExitTwo() throws IOException {
    assertThat(run().exit).isEqualTo(2);
    assertThat(run("-f", dir.resolve("missing.yaml").toString()).err).contains("no such file");
    assertThat(run("--bogus").err).contains("unexpected argument '--bogus'");
    Result typo = run("-f", write("typo.yaml", PLATFORM.replace("REDIS_REGION", "eu-west-1")
        .replace("peakConcurrentFlows", "peakConcurentFlows")));
    assertThat(typo.exit).isEqualTo(2);
    assertThat(typo.err).contains("peakConcurentFlows");
    Result nothing = run("-f", write("secret-only.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"));
    assertThat(nothing.err).contains("no FlowPlatform or WorkerGroup");
  }

  /** A CI diff of two renders shows a rotated Secret as the secrets-hash of exactly the pods that read it. */
  @Test
  void secretsGivenInTheFilesAreHashedIntoThePodsThatReadThem() throws IOException {
    String platform = write("platform.yaml", PLATFORM.replace("REDIS_REGION", "eu-west-1"));
    String secrets = """
        apiVersion: v1
        kind: Secret
        metadata: {name: pg, namespace: flows}
        stringData: {url: "jdbc:postgresql://db/flows", username: flows, password: PASSWORD}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: api-key, namespace: flows}
        stringData: {apiKey: API_KEY}
        """;
    Result first = run("-f", platform, "-f", write("s1.yaml", secrets.replace("PASSWORD", "pw-one").replace("API_KEY", "k")));
    Result password = run("-f", platform, "-f", write("s2.yaml", secrets.replace("PASSWORD", "pw-two").replace("API_KEY", "k")));
    Result apiKey = run("-f", platform, "-f", write("s3.yaml", secrets.replace("PASSWORD", "pw-one").replace("API_KEY", "l")));
    assertThat(first.exit).isZero();
    assertThat(hash(password, "prod-app")).isNotEqualTo(hash(first, "prod-app"));
    assertThat(hash(password, "prod-worker")).isNotEqualTo(hash(first, "prod-worker"));
    assertThat(hash(apiKey, "prod-app")).isNotEqualTo(hash(first, "prod-app"));
    assertThat(hash(apiKey, "prod-worker")).as("workers do not read the API key").isEqualTo(hash(first, "prod-worker"));
    assertThat(first.out).as("values are never printed").doesNotContain("pw-one").doesNotContain("jdbc:postgresql");
  }

  private static String hash(Result result, String deployment) {
    String value = result.deployment(deployment).path("spec").path("template").path("metadata").path("annotations")
        .path("flowfleet.io/secrets-hash").asText();
    assertThat(value).isNotBlank();
    return value;
  }

  private String write(String name, String content) throws IOException {
    return Files.writeString(dir.resolve(name), content).toString();
  }

  private static Result run(String... args) throws IOException {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int exit = RenderCommand.run(List.of(args), java.io.InputStream.nullInputStream(), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  record Result(int exit, String out, String err, List<JsonNode> documents) {

    Result(int exit, String out, String err) throws IOException {
      this(exit, out, err, parse(out));
    }

    static List<JsonNode> parse(String yaml) throws IOException {
      List<JsonNode> documents = new ArrayList<>();
      try (var it = new ObjectMapper(new YAMLFactory()).readerFor(JsonNode.class).<JsonNode>readValues(yaml)) {
        while (it.hasNextValue()) {
          JsonNode node = it.nextValue();
          if (node != null && !node.isEmpty()) {
            documents.add(node);
          }
        }
      }
      return documents;
    }

    List<String> kinds() {
      return documents.stream().map(d -> d.path("kind").asText()).toList();
    }

    JsonNode deployment(String name) {
      return documents.stream().filter(d -> d.path("kind").asText().equals("Deployment")
          && d.path("metadata").path("name").asText().equals(name)).findFirst().orElseThrow();
    }
  }
}
