package io.flowfleet.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowfleet.contract.RuntimeSettings;
import io.flowfleet.contract.Setting;
import io.flowfleet.core.config.ExecutionMode;
import io.flowfleet.core.config.RuntimeConfig;
import io.flowfleet.operator.examples.CelRules;
import io.flowfleet.operator.examples.CrdSchema;
import io.flowfleet.operator.examples.Manifests;
import io.flowfleet.operator.validation.PlatformValidator;
import io.flowfleet.operator.validation.Problem;
import io.flowfleet.operator.validation.Reasons;
import io.flowfleet.operator.validation.SecretLookup;
import io.flowfleet.operator.validation.WorkerGroupValidator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Walks the contract: for every range-checked setting the operator sets, a resource at the runtime's maximum renders
 * and the runtime's own parser (RuntimeConfig) accepts every rendered pod's environment; one above is refused by the
 * committed CRD's schema, by the validators (objects stored before the rule) and by render (exit 2, the field named).
 * User env naming a variable the operator owns is refused the same three ways, for FlowPlatform and WorkerGroup.
 */
class ContractRangesTest {

  static final Map<String, CrdSchema> SCHEMAS = CrdSchema.loadAll(Path.of("../crds"));
  static final SecretLookup OFFLINE = (ns, name) -> SecretLookup.Result.unknown();

  static final String PLATFORM = """
      apiVersion: flowfleet.io/v1alpha1
      kind: FlowPlatform
      metadata: {name: prod, namespace: flows}
      spec:
        peakConcurrentFlows: 4
        region: eu-west-1
        apiKeySecretRef: {name: api-key}
        postgres: {secretName: pg, region: eu-west-1}
        redis: {secretName: redis, region: eu-west-1}
        s3: {secretName: s3, region: eu-west-1}
        limits: {LIMITS}
        execution: {EXECUTION}
        app: {env: [APP_ENV]}
        worker: {env: [WORKER_ENV]}
      """;
  static final String GROUP = """
      apiVersion: flowfleet.io/v1alpha1
      kind: WorkerGroup
      metadata: {name: premium, namespace: flows}
      spec:
        platformRef: {name: prod}
        projects: [acme]
        peakConcurrentFlows: 2
        execution: {GROUP_EXECUTION}
        worker: {env: [GROUP_ENV]}
      """;

  /** The CR fields that become a range-checked setting: the platform's, and the group's concurrency. */
  record Field(String kind, String path, String placeholder, String key, Setting setting) {
    String yaml(int value) {
      return key + ": " + value;
    }
  }

  static final List<Field> FIELDS = List.of(
      new Field("FlowPlatform", "spec.limits.flowTimeoutSeconds", "LIMITS", "flowTimeoutSeconds", RuntimeSettings.FLOW_TIMEOUT_SECONDS),
      new Field("FlowPlatform", "spec.limits.webhookTimeoutSeconds", "LIMITS", "webhookTimeoutSeconds", RuntimeSettings.WEBHOOK_TIMEOUT_SECONDS),
      new Field("FlowPlatform", "spec.limits.maxWebhookPayloadSizeMb", "LIMITS", "maxWebhookPayloadSizeMb", RuntimeSettings.MAX_WEBHOOK_PAYLOAD_SIZE_MB),
      new Field("FlowPlatform", "spec.limits.maxFileSizeMb", "LIMITS", "maxFileSizeMb", RuntimeSettings.MAX_FILE_SIZE_MB),
      new Field("FlowPlatform", "spec.limits.maxFlowRunLogSizeMb", "LIMITS", "maxFlowRunLogSizeMb", RuntimeSettings.MAX_FLOW_RUN_LOG_SIZE_MB),
      new Field("FlowPlatform", "spec.execution.workerConcurrency", "EXECUTION", "workerConcurrency", RuntimeSettings.WORKER_CONCURRENCY),
      new Field("WorkerGroup", "spec.execution.workerConcurrency", "GROUP_EXECUTION", "workerConcurrency", RuntimeSettings.WORKER_CONCURRENCY));

  @TempDir
  Path dir;

  @Test
  void everyRangeCheckedSettingTheOperatorDecidesIsWalked() {
    Set<Setting> walked = FIELDS.stream().map(Field::setting).collect(Collectors.toSet());
    // the shutdown grace is derived from the limits (Graces), and walked through flowTimeoutSeconds' maximum
    Set<Setting> operatorRanges = RuntimeSettings.all().stream()
        .filter(s -> s.rangeChecked() && s.owner() == Setting.Owner.OPERATOR_ONLY && s != RuntimeSettings.SHUTDOWN_GRACE_SECONDS)
        .collect(Collectors.toSet());
    assertThat(walked).isEqualTo(operatorRanges);
    for (Field field : FIELDS) {
      JsonNode node = node(field.kind(), "." + field.path());
      assertThat(node.path("maximum").asInt()).as(field.path()).isEqualTo(field.setting().max());
      assertThat(node.path("minimum").asInt()).as(field.path()).isEqualTo(field.setting().min());
    }
  }

  @Test
  void atTheMaximumItRendersAndTheRuntimeAcceptsEveryPodsEnvironment() throws IOException {
    for (Field field : FIELDS) {
      Rendered rendered = render(field, field.setting().max(), "", "", "");
      assertThat(rendered.exit).as(field.path() + ": " + rendered.err).isZero();
      List<Map<String, String>> pods = rendered.podEnvironments();
      assertThat(pods).as(field.path()).hasSize(3); // app, worker, group worker
      for (Map<String, String> env : pods) {
        assertThat(RuntimeConfig.from(env)).isNotNull();
      }
      assertThat(pods).as(field.path() + " reaches a pod").anySatisfy(env ->
          assertThat(env.get(field.setting().name())).isEqualTo(String.valueOf(field.setting().max())));
    }
  }

  @Test
  void aboveTheMaximumTheSchemaTheValidatorAndRenderRefuseIt() throws IOException {
    for (Field field : FIELDS) {
      int tooMuch = field.setting().max() + 1;
      Map<String, String> yaml = yaml(field, tooMuch, "", "", "");
      JsonNode resource = Manifests.documents(yaml.get(field.kind())).getFirst();
      assertThat(SCHEMAS.get(field.kind()).validate(resource)).as(field.path())
          .anySatisfy(e -> assertThat(e).contains(field.key()).contains(String.valueOf(field.setting().max())));

      List<Problem> problems = validate(yaml, field.kind());
      assertThat(problems).as(field.path()).anySatisfy(p -> {
        assertThat(p.reason()).isEqualTo(Reasons.LIMIT_OUT_OF_RANGE);
        assertThat(p.message()).contains(field.path() + " is " + tooMuch).contains(field.setting().name())
            .contains("1 to " + field.setting().max());
      });

      Rendered rendered = render(field, tooMuch, "", "", "");
      assertThat(rendered.exit).as(field.path()).isEqualTo(RenderCommand.INVALID);
      assertThat(rendered.out).isEmpty();
      assertThat(rendered.err).contains(Reasons.LIMIT_OUT_OF_RANGE).contains(field.path() + " is " + tooMuch);
    }
  }

  @Test
  void userEnvMayNotSetAVariableTheOperatorOwns() throws IOException {
    String reserved = "{name: " + RuntimeSettings.ENV_VAR_EXECUTION_MODE + ", value: SANDBOX_CODE_ONLY}, "
        + "{name: " + RuntimeSettings.ENV_VAR_QUEUE_NAME + ", value: default}";
    record Case(String kind, String field, String app, String worker, String group) {}
    for (Case c : List.of(new Case("FlowPlatform", "spec.app.env", reserved, "", ""),
        new Case("FlowPlatform", "spec.worker.env", "", reserved, ""),
        new Case("WorkerGroup", "spec.worker.env", "", "", reserved))) {
      Map<String, String> yaml = yaml(null, 0, c.app(), c.worker(), c.group());
      JsonNode resource = Manifests.documents(yaml.get(c.kind())).getFirst();
      CrdSchema schema = SCHEMAS.get(c.kind());
      assertThat(schema.validate(resource)).as(c.field()).isEmpty();
      assertThat(CelRules.violations(schema.openApiSchema(), schema.withDefaults(resource))).as(c.field())
          .singleElement().satisfies(v -> assertThat(v).contains("$." + c.field()).contains("operator owns"));

      assertThat(validate(yaml, c.kind())).as(c.field()).anySatisfy(p -> {
        assertThat(p.reason()).isEqualTo(Reasons.RESERVED_ENV);
        assertThat(p.message()).contains(c.field() + " sets AP_EXECUTION_MODE, AP_QUEUE_NAME");
      });

      Rendered rendered = render(null, 0, c.app(), c.worker(), c.group());
      assertThat(rendered.exit).as(c.field()).isEqualTo(RenderCommand.INVALID);
      assertThat(rendered.err).contains(Reasons.RESERVED_ENV).contains(c.field() + " sets AP_EXECUTION_MODE");
    }
  }

  @Test
  void tunableVariablesStayTheUsersButTheRuntimeMustAcceptTheirValues() throws IOException {
    String tuned = "{name: " + RuntimeSettings.ENV_VAR_POSTGRES_POOL_SIZE + ", value: '50'}, {name: JAVA_TOOL_OPTIONS, value: -Xss2m}";
    Rendered rendered = render(null, 0, "", tuned, tuned);
    assertThat(rendered.exit).as(rendered.err).isZero();
    Map<String, String> yaml = yaml(null, 0, "", tuned, tuned);
    for (String kind : List.of("FlowPlatform", "WorkerGroup")) {
      JsonNode resource = Manifests.documents(yaml.get(kind)).getFirst();
      assertThat(CelRules.violations(SCHEMAS.get(kind).openApiSchema(), SCHEMAS.get(kind).withDefaults(resource))).isEmpty();
    }
    assertThat(rendered.podEnvironments()).allSatisfy(env -> assertThat(RuntimeConfig.from(env)).isNotNull());

    String tooBig = "{name: " + RuntimeSettings.ENV_VAR_POSTGRES_POOL_SIZE + ", value: '500'}";
    Rendered refused = render(null, 0, "", "", tooBig);
    assertThat(refused.exit).isEqualTo(RenderCommand.INVALID);
    assertThat(refused.err).contains("spec.worker.env: the runtime would refuse AP_POSTGRES_POOL_SIZE='500': must be "
        + "between 1 and 200");
  }

  /** Whatever the input, a group's rendered workers run SANDBOX_PROCESS on the group's own queue. */
  @Test
  void theRenderedGroupWorkerAlwaysRunsInItsOwnProcessOnItsOwnQueue() throws IOException {
    Rendered rendered = render(null, 0, "", "", "");
    assertThat(rendered.exit).as(rendered.err).isZero();
    Map<String, String> group = rendered.podEnvironment("prod-group-premium");
    RuntimeConfig config = RuntimeConfig.from(group);
    assertThat(config.executionMode()).isEqualTo(ExecutionMode.SANDBOX_PROCESS);
    assertThat(config.queueName()).isEqualTo("premium");
    // the platform's worker env is merged into the group's: reserved names there never reach it either
    io.flowfleet.operator.api.FlowPlatform platform = io.flowfleet.operator.Fixtures.platform("prod", 4);
    platform.getSpec().getWorker().setEnv(List.of(new io.fabric8.kubernetes.api.model.EnvVar(
        RuntimeSettings.ENV_VAR_QUEUE_NAME, "default", null)));
    io.flowfleet.operator.api.WorkerGroup g = io.flowfleet.operator.Fixtures.group("premium", "prod", 2, "acme");
    g.getSpec().getWorker().setEnv(List.of(new io.fabric8.kubernetes.api.model.EnvVar(
        RuntimeSettings.ENV_VAR_EXECUTION_MODE, "SANDBOX_CODE_ONLY", null)));
    var env = io.flowfleet.operator.desired.WorkerGroupTier.deployment(g, platform).getSpec().getTemplate().getSpec()
        .getContainers().getFirst().getEnv();
    assertThat(env).filteredOn(e -> e.getName().equals(RuntimeSettings.ENV_VAR_QUEUE_NAME)).singleElement()
        .satisfies(e -> assertThat(e.getValue()).isEqualTo("premium"));
    assertThat(env).filteredOn(e -> e.getName().equals(RuntimeSettings.ENV_VAR_EXECUTION_MODE)).singleElement()
        .satisfies(e -> assertThat(e.getValue()).isEqualTo("SANDBOX_PROCESS"));
  }

  private List<Problem> validate(Map<String, String> yaml, String kind) throws IOException {
    RenderInput input;
    try {
      input = RenderInput.read(List.of(write(yaml)));
    } catch (RenderInput.InvalidInputException e) {
      throw new AssertionError(e);
    }
    var platform = input.platforms().getFirst();
    return kind.equals("FlowPlatform") ? PlatformValidator.validate(platform, OFFLINE)
        : WorkerGroupValidator.validate(input.groups().getFirst(), Optional.of(platform), input.groups(), OFFLINE);
  }

  private static Map<String, String> yaml(Field field, int value, String appEnv, String workerEnv, String groupEnv) {
    String platform = PLATFORM, group = GROUP;
    for (String placeholder : List.of("LIMITS", "EXECUTION")) {
      platform = platform.replace("{" + placeholder + "}", field != null && field.kind().equals("FlowPlatform")
          && field.placeholder().equals(placeholder) ? "{" + field.yaml(value) + "}" : "{}");
    }
    group = group.replace("{GROUP_EXECUTION}", field != null && field.kind().equals("WorkerGroup")
        ? "{" + field.yaml(value) + "}" : "{}");
    platform = platform.replace("APP_ENV", appEnv).replace("WORKER_ENV", workerEnv);
    group = group.replace("GROUP_ENV", groupEnv);
    Map<String, String> byKind = new LinkedHashMap<>();
    byKind.put("FlowPlatform", platform);
    byKind.put("WorkerGroup", group);
    return byKind;
  }

  private Path write(Map<String, String> yaml) throws IOException {
    Path file = Files.createTempFile(dir, "cr", ".yaml");
    Files.writeString(file, String.join("---\n", yaml.values()));
    return file;
  }

  private Rendered render(Field field, int value, String appEnv, String workerEnv, String groupEnv) throws IOException {
    Path file = write(yaml(field, value, appEnv, workerEnv, groupEnv));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = RenderCommand.run(List.of("-f", file.toString()), new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Rendered(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static JsonNode node(String kind, String path) {
    JsonNode node = SCHEMAS.get(kind).openApiSchema();
    for (String part : path.substring(1).split("\\.")) {
      node = node.path("properties").path(part);
    }
    return node;
  }

  record Rendered(int exit, String out, String err) {

    List<JsonNode> documents() {
      return out.isEmpty() ? List.of() : Manifests.documents(out);
    }

    /** Each Deployment's container environment as the kubelet would give it: ConfigMap first, then env. */
    List<Map<String, String>> podEnvironments() {
      List<Map<String, String>> pods = new ArrayList<>();
      for (JsonNode d : Manifests.ofKind(documents(), "Deployment")) {
        pods.add(podEnvironment(d.path("metadata").path("name").asText()));
      }
      return pods;
    }

    Map<String, String> podEnvironment(String deployment) {
      JsonNode configMap = Manifests.ofKind(documents(), "ConfigMap").getFirst();
      JsonNode container = Manifests.ofKind(documents(), "Deployment").stream()
          .filter(d -> d.path("metadata").path("name").asText().equals(deployment)).findFirst().orElseThrow()
          .path("spec").path("template").path("spec").path("containers").get(0);
      Map<String, String> env = new HashMap<>();
      configMap.path("data").properties().forEach(e -> env.put(e.getKey(), e.getValue().asText()));
      for (JsonNode var : container.path("env")) {
        String name = var.path("name").asText();
        env.put(name, var.has("value") ? var.path("value").asText() : secretValue(name));
      }
      return env;
    }

    /** What a Secret would hold: valid values of the kind the runtime checks. */
    private static String secretValue(String name) {
      if (name.equals(RuntimeSettings.ENV_VAR_POSTGRES_URL)) return "jdbc:postgresql://db:5432/flowfleet";
      if (name.equals(RuntimeSettings.ENV_VAR_REDIS_URL)) return "redis://redis:6379";
      if (name.equals(RuntimeSettings.ENV_VAR_S3_ENDPOINT)) return "https://s3.example.com";
      return "from-secret";
    }
  }
}
