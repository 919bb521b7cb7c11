package io.flowfleet.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.flowfleet.operator.examples.Manifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The operator's Helm chart, linted and rendered by real Helm (helm-java): what a platform team installs
 * must carry the CRDs, exactly the RBAC the operator needs and a hardened operator Deployment with the
 * values applied.
 */
class ChartTest {

  private static final String RELEASE = "rel";
  private static final String NAMESPACE = "flowfleet-system";
  private static final String FULLNAME = "rel-flowfleet-operator";
  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

  /** Where the operator's code lists what it calls: the chart must grant exactly that ("RBAC used"). */
  private static final String RBAC_USED_DOC = "docs/operator.md";
  private static final String LEASES = "coordination.k8s.io/leases";

  private static Path repositoryRoot;
  private static Helm chart;
  private static List<JsonNode> defaults;

  @BeforeAll
  static void renderWithDefaultValues() {
    repositoryRoot = Manifests.repositoryRoot();
    chart = new Helm(repositoryRoot.resolve("charts/flowfleet-operator"));
    defaults = render(UnaryOperator.identity());
  }

  private static List<JsonNode> render(UnaryOperator<TemplateCommand> values) {
    return Manifests.documents(values.apply(chart.template().withName(RELEASE).withNamespace(NAMESPACE)).call());
  }

  @Test
  void lintsWithoutWarningsInStrictMode() {
    LintResult lint = chart.lint().strict().call();

    assertThat(lint.isFailed()).as("helm lint --strict: %s", lint.getMessages()).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
  }

  @Test
  void rendersTheOperatorsObjectsAndNothingElse() {
    assertThat(defaults).extracting(d -> d.path("kind").asText() + " " + d.path("metadata").path("name").asText())
        .containsExactlyInAnyOrder(
            "ServiceAccount " + FULLNAME,
            "ClusterRole " + FULLNAME,
            "ClusterRole flowfleet-view",
            "ClusterRole flowfleet-edit",
            "ClusterRoleBinding " + FULLNAME,
            "Role " + FULLNAME + "-leader-election",
            "RoleBinding " + FULLNAME + "-leader-election",
            "Deployment " + FULLNAME,
            "PodDisruptionBudget " + FULLNAME);
  }

  @Test
  void clusterRoleGrantsExactlyTheRulesTheOperatorUses() throws IOException {
    Set<String> documented = rbacUsed();
    Set<String> namespacedRules = new TreeSet<>(documented);
    namespacedRules.removeIf(g -> g.startsWith(LEASES));

    // The table parsed: the kinds the operator cannot work without are in it.
    assertThat(documented).contains("flowfleet.io/flowplatforms: watch", "flowfleet.io/flowplatforms/status: patch",
        "apps/deployments: create", "/secrets: watch", "/events: create", LEASES + ": update");
    assertThat(grants(operatorClusterRole(defaults).getRules()))
        .as("ClusterRole rules vs the \"RBAC used\" table of %s", RBAC_USED_DOC)
        .containsExactlyInAnyOrderElementsOf(namespacedRules);
  }

  @Test
  void grantsNothingBroaderThanNeeded() {
    List<PolicyRule> allRules = new ArrayList<>();
    allRules.addAll(operatorClusterRole(defaults).getRules());
    Manifests.ofKind(defaults, "Role").forEach(r -> allRules.addAll(convert(r, Role.class).getRules()));

    assertThat(allRules).allSatisfy(rule -> {
      assertThat(rule.getApiGroups()).doesNotContain("*");
      assertThat(rule.getResources()).doesNotContain("*").noneMatch(r -> r.endsWith("/*"));
      assertThat(rule.getVerbs()).doesNotContain("*", "escalate", "bind", "impersonate", "deletecollection");
      assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
    });
    // Secrets hold the stores' credentials: the operator watches them (digests only), never writes them.
    assertThat(grants(allRules)).filteredOn(g -> g.startsWith("/secrets:"))
        .containsExactlyInAnyOrder("/secrets: list", "/secrets: watch");
    // No pods, nodes, RBAC or CRD writes: the operator does not need them.
    assertThat(grants(allRules)).noneMatch(g -> g.startsWith("/pods") || g.startsWith("/nodes")
        || g.startsWith("rbac.authorization.k8s.io/") || g.startsWith("apiextensions.k8s.io/"));
    assertThat(Manifests.ofKind(defaults, "ClusterRoleBinding")).allSatisfy(binding ->
        assertThat(convert(binding, ClusterRoleBinding.class).getRoleRef().getName())
            .isEqualTo(FULLNAME).isNotIn("cluster-admin", "admin", "edit"));
  }

  @Test
  void clusterWideBindingGivesTheRulesToTheOperatorsServiceAccount() {
    ClusterRoleBinding binding = the(defaults, ClusterRoleBinding.class);

    assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
    assertThat(binding.getRoleRef().getName()).isEqualTo(FULLNAME);
    assertThat(binding.getSubjects()).singleElement().satisfies(s -> {
      assertThat(s.getKind()).isEqualTo("ServiceAccount");
      assertThat(s.getName()).isEqualTo(FULLNAME);
      assertThat(s.getNamespace()).isEqualTo(NAMESPACE);
    });
    assertThat(operatorPod(defaults).getServiceAccountName()).isEqualTo(FULLNAME);
  }

  @Test
  void leaderElectionRoleCoversOnlyTheOperatorsOwnLease() throws IOException {
    Role role = the(defaults, Role.class);
    String leaseName = env(operatorContainer(defaults), "FLOWFLEET_LEASE_NAME");

    assertThat(role.getMetadata().getNamespace()).isEqualTo(NAMESPACE);
    assertThat(leaseName).isEqualTo(FULLNAME + "-leader");
    assertThat(role.getRules()).allSatisfy(rule -> {
      assertThat(rule.getApiGroups()).containsExactly("coordination.k8s.io");
      assertThat(rule.getResources()).containsExactly("leases");
    });
    // create cannot be limited to a name (the object does not exist yet); get and update are.
    assertThat(role.getRules()).anySatisfy(rule -> {
      assertThat(rule.getVerbs()).containsExactly("create");
      assertThat(rule.getResourceNames()).isNullOrEmpty();
    });
    assertThat(role.getRules()).anySatisfy(rule -> {
      assertThat(rule.getVerbs()).containsExactlyInAnyOrder("get", "update");
      assertThat(rule.getResourceNames()).containsExactly(leaseName);
    });
    assertThat(the(defaults, RoleBinding.class).getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    Set<String> leaseVerbs = new TreeSet<>();
    role.getRules().forEach(rule -> leaseVerbs.addAll(rule.getVerbs()));
    assertThat(rbacUsed()).filteredOn(g -> g.startsWith(LEASES))
        .containsExactlyInAnyOrderElementsOf(leaseVerbs.stream().map(v -> LEASES + ": " + v).toList());
  }

  @Test
  void operatorRunsTwoHardenedReplicasWithLeaderElectionByDefault() throws IOException {
    Deployment deployment = the(defaults, Deployment.class);
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    Container operator = operatorContainer(defaults);

    assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
    assertThat(operator.getImage()).isEqualTo("flowfleet/flowfleet-operator:" + projectVersion());
    assertThat(env(operator, "FLOWFLEET_LEADER_ELECTION")).isEqualTo("true");
    assertThat(env(operator, "FLOWFLEET_LEASE_NAMESPACE")).isEqualTo(NAMESPACE);
    assertThat(env(operator, "FLOWFLEET_WATCH_NAMESPACES")).isEmpty();
    assertThat(env(operator, "FLOWFLEET_LOG_LEVEL")).isEqualTo("INFO");
    assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isZero();
    // Probes on the operator's own health server (FLOWFLEET_HEALTH_PORT).
    assertThat(env(operator, "FLOWFLEET_HEALTH_PORT")).isEqualTo("8081");
    assertThat(operator.getPorts()).singleElement().satisfies(p -> {
      assertThat(p.getName()).isEqualTo("health");
      assertThat(p.getContainerPort()).isEqualTo(8081);
    });
    assertThat(operator.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(operator.getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("health");
    assertThat(operator.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");

    assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
    assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(operator.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
    assertThat(operator.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
    assertThat(operator.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(operator.getSecurityContext().getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(operator.getSecurityContext().getPrivileged()).isNotEqualTo(Boolean.TRUE);
    // Read-only root filesystem: the JVM's /tmp is an emptyDir.
    assertThat(operator.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
    assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getEmptyDir()).isNotNull());
    assertThat(operator.getResources().getLimits()).containsKey("memory");
  }

  @Test
  void valuesReachTheDeployment(@TempDir Path dir) throws IOException {
    Path values = dir.resolve("values.yaml");
    Files.writeString(values, """
        replicaCount: 3
        image:
          repository: registry.example.com/platform/flowfleet-operator
          tag: "1.2.3"
          pullPolicy: Always
        logLevel: DEBUG
        resources:
          requests: {cpu: 250m, memory: 384Mi}
          limits: {memory: 768Mi}
        nodeSelector: {pool: system}
        tolerations: [{key: dedicated, operator: Equal, value: system, effect: NoSchedule}]
        """);
    List<JsonNode> rendered = render(t -> t.withValuesFile(values));

    Deployment deployment = the(rendered, Deployment.class);
    Container operator = operatorContainer(rendered);
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(3);
    assertThat(operator.getImage()).isEqualTo("registry.example.com/platform/flowfleet-operator:1.2.3");
    assertThat(operator.getImagePullPolicy()).isEqualTo("Always");
    assertThat(env(operator, "FLOWFLEET_LOG_LEVEL")).isEqualTo("DEBUG");
    assertThat(operator.getResources().getRequests())
        .containsEntry("cpu", new Quantity("250m")).containsEntry("memory", new Quantity("384Mi"));
    assertThat(operator.getResources().getLimits()).containsEntry("memory", new Quantity("768Mi"));
    PodSpec pod = deployment.getSpec().getTemplate().getSpec();
    assertThat(pod.getNodeSelector()).containsEntry("pool", "system");
    assertThat(pod.getTolerations()).singleElement().satisfies(t -> assertThat(t.getKey()).isEqualTo("dedicated"));
  }

  @Test
  void watchedNamespacesGetTheRulesAndNoOtherNamespaceDoes() {
    List<JsonNode> rendered = render(t -> t.set("watchNamespaces[0]", "team-a").set("watchNamespaces[1]", "team-b"));

    assertThat(Manifests.ofKind(rendered, "ClusterRoleBinding")).isEmpty();
    List<RoleBinding> bindings = Manifests.ofKind(rendered, "RoleBinding").stream()
        .map(b -> convert(b, RoleBinding.class))
        .filter(b -> b.getRoleRef().getKind().equals("ClusterRole"))
        .toList();
    assertThat(bindings).extracting(b -> b.getMetadata().getNamespace()).containsExactlyInAnyOrder("team-a", "team-b");
    assertThat(bindings).allSatisfy(b -> assertThat(b.getRoleRef().getName()).isEqualTo(FULLNAME));
    assertThat(env(operatorContainer(rendered), "FLOWFLEET_WATCH_NAMESPACES")).isEqualTo("team-a,team-b");
  }

  @Test
  void withoutLeaderElectionThereIsNoLeaseAccess() {
    List<JsonNode> rendered = render(t -> t.set("leaderElection.enabled", false).set("replicaCount", 1));

    assertThat(Manifests.ofKind(rendered, "Role")).isEmpty();
    assertThat(Manifests.ofKind(rendered, "PodDisruptionBudget")).isEmpty();
    assertThat(env(operatorContainer(rendered), "FLOWFLEET_LEADER_ELECTION")).isEqualTo("false");
  }

  @Test
  void peopleGetAggregatedViewAndEditRolesForFlowfleetsKinds() {
    ClusterRole view = clusterRole(defaults, "flowfleet-view");
    ClusterRole edit = clusterRole(defaults, "flowfleet-edit");

    assertThat(view.getMetadata().getLabels()).containsEntry("rbac.authorization.k8s.io/aggregate-to-view", "true")
        .containsEntry("rbac.authorization.k8s.io/aggregate-to-edit", "true")
        .containsEntry("rbac.authorization.k8s.io/aggregate-to-admin", "true");
    assertThat(edit.getMetadata().getLabels()).containsEntry("rbac.authorization.k8s.io/aggregate-to-edit", "true")
        .containsEntry("rbac.authorization.k8s.io/aggregate-to-admin", "true")
        .doesNotContainKey("rbac.authorization.k8s.io/aggregate-to-view");
    assertThat(grants(view.getRules())).contains("flowfleet.io/flowplatforms: list", "flowfleet.io/workergroups: watch",
        "flowfleet.io/workergroups/status: get").noneMatch(g -> g.matches(".*: (create|update|patch|delete)"));
    assertThat(grants(edit.getRules())).contains("flowfleet.io/workergroups: create", "flowfleet.io/flowplatforms: patch",
        "flowfleet.io/flowplatforms/scale: update")
        .noneMatch(g -> g.contains("/status:") || g.endsWith("deletecollection") || g.contains("secrets"));
    assertThat(render(t -> t.set("rbac.userRoles", false))).extracting(d -> d.path("metadata").path("name").asText())
        .doesNotContain("flowfleet-view", "flowfleet-edit");
  }

  @Test
  void theOperatorImageCanBePinnedByDigestAndASnapshotTagIsFlagged() {
    String digest = "sha256:" + "ab12".repeat(16);
    List<JsonNode> rendered = render(t -> t.set("image.digest", digest));
    assertThat(operatorContainer(rendered).getImage()).isEqualTo("flowfleet/flowfleet-operator@" + digest);
    assertThatThrownBy(() -> render(t -> t.set("image.digest", "latest"))).hasMessageContaining("image.digest");
    assertThatThrownBy(() -> render(t -> t.set("image.tag", "1.0@sha256:abc"))).hasMessageContaining("image.tag");

    String notes = chart.install().withName(RELEASE).withNamespace(NAMESPACE).clientOnly().dryRun().call().getOutput();
    assertThat(notes).contains("WARNING: the operator image is flowfleet/flowfleet-operator:0.1.0-SNAPSHOT");
    String pinned = chart.install().withName(RELEASE).withNamespace(NAMESPACE).clientOnly().dryRun()
        .set("image.digest", digest).call().getOutput();
    assertThat(pinned).doesNotContain("WARNING");
  }

  @Test
  void unknownValuesAreRejectedAtEveryLevelTheChartDefines() {
    assertThatThrownBy(() -> render(t -> t.set("replicas", 2))).hasMessageContaining("replicas");
    assertThatThrownBy(() -> render(t -> t.set("image.tags", "1.0"))).hasMessageContaining("tags");
    assertThatThrownBy(() -> render(t -> t.set("leaderElection.enable", true))).hasMessageContaining("enable");
    assertThatThrownBy(() -> render(t -> t.set("monitoring.fleet.serviceMonitor.enabled", true)))
        .hasMessageContaining("serviceMonitor");
    assertThatThrownBy(() -> render(t -> t.set("resources.request.cpu", "1"))).hasMessageContaining("request");
  }

  @Test
  void invalidValuesAreRejectedWithTheirName() {
    assertThatThrownBy(() -> render(t -> t.set("replicaCount", 0)))
        .hasMessageContaining("replicaCount");
    assertThatThrownBy(() -> render(t -> t.set("logLevel", "LOUD")))
        .hasMessageContaining("logLevel");
    assertThatThrownBy(() -> render(t -> t.set("serviceAccount.create", false)))
        .hasMessageContaining("serviceAccount.name is required");
  }

  @Test
  void existingServiceAccountAndOwnRbacCanBeUsedInstead() {
    List<JsonNode> rendered = render(t -> t.set("serviceAccount.create", false).set("serviceAccount.name", "ops-sa")
        .set("rbac.create", false));

    assertThat(rendered).filteredOn(d -> !d.path("metadata").path("name").asText().matches("flowfleet-(view|edit)"))
        .extracting(d -> d.path("kind").asText())
        .doesNotContain("ServiceAccount", "ClusterRole", "ClusterRoleBinding", "Role", "RoleBinding");
    assertThat(operatorPod(rendered).getServiceAccountName()).isEqualTo("ops-sa");
  }

  /** Monitoring values, all on: what a cluster with the Prometheus Operator and Grafana's sidecar gets. */
  static final String MONITORING_ON = """
      monitoring:
        operator:
          podMonitor: {enabled: true}
          serviceMonitor: {enabled: true, labels: {release: prom}}
        fleet:
          podMonitor: {enabled: true}
        prometheusRule: {enabled: true, labels: {release: prom}}
        grafanaDashboard: {enabled: true}
      """;

  @Test
  void monitoringIsOffByDefaultAndRendersAndLintsWhenOn(@TempDir Path dir) throws IOException {
    assertThat(defaults).extracting(d -> d.path("kind").asText())
        .doesNotContain("PodMonitor", "ServiceMonitor", "PrometheusRule", "Service", "ConfigMap");
    Path values = dir.resolve("monitoring.yaml");
    Files.writeString(values, MONITORING_ON);
    // helm lint takes no values file here: lint a copy of the chart whose defaults turn every monitoring part on
    Path copy = dir.resolve("chart");
    try (Stream<Path> files = Files.walk(repositoryRoot.resolve("charts/flowfleet-operator"))) {
      for (Path file : files.toList()) {
        Path target = copy.resolve(repositoryRoot.resolve("charts/flowfleet-operator").relativize(file).toString());
        if (Files.isDirectory(file)) {
          Files.createDirectories(target);
        } else {
          Files.copy(file, target);
        }
      }
    }
    String chartValues = Files.readString(copy.resolve("values.yaml"));
    int monitoring = chartValues.indexOf("\nmonitoring:");
    assertThat(monitoring).isPositive();
    Files.writeString(copy.resolve("values.yaml"), chartValues.substring(0, monitoring)
        + chartValues.substring(monitoring).replace("enabled: false", "enabled: true"));
    LintResult lint = new Helm(copy).lint().strict().call();
    assertThat(lint.isFailed()).as("helm lint --strict with monitoring on: %s", lint.getMessages()).isFalse();
    assertThat(lint.getMessages()).noneMatch(m -> m.contains("[ERROR]") || m.contains("[WARNING]"));
    assertThat(Manifests.documents(new Helm(copy).template().withName(RELEASE).withNamespace(NAMESPACE).call()))
        .extracting(d -> d.path("kind").asText()).contains("PodMonitor", "ServiceMonitor", "PrometheusRule");

    List<JsonNode> rendered = render(t -> t.withValuesFile(values));
    assertThat(rendered).extracting(d -> d.path("kind").asText() + " " + d.path("metadata").path("name").asText())
        .contains("PodMonitor " + FULLNAME, "PodMonitor " + FULLNAME + "-fleet", "ServiceMonitor " + FULLNAME,
            "Service " + FULLNAME + "-metrics", "PrometheusRule " + FULLNAME, "ConfigMap " + FULLNAME + "-dashboard");
    JsonNode operatorMonitor = Manifests.ofKind(rendered, "PodMonitor").stream()
        .filter(m -> m.path("metadata").path("name").asText().equals(FULLNAME)).findFirst().orElseThrow();
    JsonNode endpoint = operatorMonitor.path("spec").path("podMetricsEndpoints").get(0);
    assertThat(endpoint.path("port").asText()).isEqualTo("health");
    assertThat(endpoint.path("path").asText()).isEqualTo("/metrics");
    assertThat(endpoint.path("honorLabels").asBoolean()).as("keeps the resources' namespace label").isTrue();
    JsonNode fleet = Manifests.ofKind(rendered, "PodMonitor").stream()
        .filter(m -> m.path("metadata").path("name").asText().endsWith("-fleet")).findFirst().orElseThrow();
    assertThat(fleet.path("spec").path("selector").path("matchLabels").path("app.kubernetes.io/managed-by").asText())
        .isEqualTo("flowfleet-operator");
    assertThat(fleet.path("spec").path("podMetricsEndpoints").get(0).path("path").asText())
        .isEqualTo("/actuator/prometheus");
    assertThat(the(rendered, io.fabric8.kubernetes.api.model.Service.class).getSpec().getPorts())
        .singleElement().satisfies(p -> assertThat(p.getPort()).isEqualTo(8081));

    JsonNode rule = Manifests.ofKind(rendered, "PrometheusRule").getFirst();
    assertThat(rule.path("metadata").path("labels").path("release").asText()).isEqualTo("prom");
    List<String> alerts = new ArrayList<>();
    StringBuilder expressions = new StringBuilder();
    rule.path("spec").path("groups").forEach(g -> g.path("rules").forEach(r -> {
      alerts.add(r.path("alert").asText());
      expressions.append(r.path("expr").asText()).append('\n');
    }));
    assertThat(alerts).contains("FlowfleetPlatformNotReady", "FlowfleetResourceStalled", "FlowfleetQueueBacklogGrowing",
        "FlowfleetSyncWebhookTimeouts", "FlowfleetRunsFailing", "FlowfleetWorkerRestarts");
    JsonNode dashboardConfig = Manifests.ofKind(rendered, "ConfigMap").getFirst();
    assertThat(dashboardConfig.path("metadata").path("labels").path("grafana_dashboard").asText()).isEqualTo("1");
    JsonNode dashboard = Manifests.YAML.readTree(dashboardConfig.path("data").path("flowfleet.json").asText());
    assertThat(dashboard.path("panels").size()).isGreaterThanOrEqualTo(8);
    StringBuilder queries = new StringBuilder();
    dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> queries.append(t.path("expr").asText()).append('\n')));

    // every runtime metric the rules and the dashboard read is one the runtime declares (names as Prometheus spells them)
    Set<String> declared = runtimeMetricNames();
    assertThat(declared).contains("flowfleet_webhook_seconds", "flowfleet_queue_depth", "flowfleet_runs_total");
    for (String text : List.of(expressions.toString(), queries.toString())) {
      java.util.regex.Matcher used = java.util.regex.Pattern.compile("flowfleet_[a-z_]+").matcher(text);
      while (used.find()) {
        String name = used.group().replaceAll("_(count|bucket|sum)$", "");
        assertThat(name).as("metric read by the chart").isIn(
            java.util.stream.Stream.concat(declared.stream(), Stream.of("flowfleet_resource_condition")).toList());
      }
    }
  }

  /** Meter names the runtime registers (Micrometer builders in runtime-app and runtime-worker), in Prometheus form. */
  private static Set<String> runtimeMetricNames() throws IOException {
    Set<String> names = new TreeSet<>();
    // Counter.builder("flowfleet.x"), Timer.builder(...), Gauge.builder(...), or BacklogMetrics' gauge("flowfleet.x", ...)
    java.util.regex.Pattern builder = java.util.regex.Pattern.compile(
        "(Counter|Timer|Gauge)\\.builder\\(\"(flowfleet\\.[a-z.]+)\"|(gauge)\\(\"(flowfleet\\.[a-z.]+)\"");
    for (String module : List.of("runtime-app", "runtime-worker")) {
      try (Stream<Path> files = Files.walk(repositoryRoot.resolve(module).resolve("src/main/java"))) {
        for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
          java.util.regex.Matcher m = builder.matcher(Files.readString(file));
          while (m.find()) {
            String kind = m.group(1) != null ? m.group(1) : "Gauge";
            String base = (m.group(2) != null ? m.group(2) : m.group(4)).replace('.', '_');
            names.add(switch (kind) {
              case "Counter" -> base + "_total";
              case "Timer" -> base + "_seconds";
              default -> base;
            });
          }
        }
      }
    }
    return names;
  }

  @Test
  void chartCrdsAreTheGeneratedOnes() throws IOException {
    Path generated = repositoryRoot.resolve("crds");
    Path inChart = repositoryRoot.resolve("charts/flowfleet-operator/crds");
    String howToSync = "charts/flowfleet-operator/crds/ must equal crds/ (generated from the operator's API types). "
        + "After regenerating crds/ (./mvnw -B -pl operator process-classes -Pupdate-crds), sync the chart from the "
        + "repository root: rm -f charts/flowfleet-operator/crds/* && cp crds/*.yml charts/flowfleet-operator/crds/";

    List<String> generatedNames = Manifests.yamlFiles(generated).stream().map(p -> p.getFileName().toString()).toList();
    List<String> chartNames = Manifests.yamlFiles(inChart).stream().map(p -> p.getFileName().toString()).toList();
    assertThat(generatedNames).as("generated CRDs in crds/").isNotEmpty();
    assertThat(chartNames).as(howToSync).containsExactlyElementsOf(generatedNames);
    for (String name : generatedNames) {
      assertThat(Files.readString(inChart.resolve(name))).as(howToSync + " (" + name + " differs)")
          .isEqualTo(Files.readString(generated.resolve(name)));
    }
  }

  @Test
  void helmInstallsBothCustomResourceDefinitions() {
    // `helm show crds` prints the files of crds/ back to back, without "---" between them: split at each
    // top-level apiVersion so that each CRD is its own document.
    String shown = chart.show().crds().call().replaceAll("(?m)^apiVersion:", "---\napiVersion:");
    List<JsonNode> crds = Manifests.documents(shown);

    assertThat(crds).extracting(c -> c.path("metadata").path("name").asText())
        .containsExactlyInAnyOrder("flowplatforms.flowfleet.io", "workergroups.flowfleet.io");
  }

  @Test
  void installNotesSayWhatToApplyNext() {
    // helm template skips NOTES.txt; a client-only dry-run install renders it as `helm install` would.
    String notes = chart.install().withName(RELEASE).withNamespace(NAMESPACE).clientOnly().dryRun().call().getOutput();

    assertThat(notes)
        .contains("kubectl apply -f examples/platform-peak-50-secrets.yaml")
        .contains("kubectl apply -f examples/platform-peak-50.yaml")
        .contains("kubectl get flowplatforms")
        .contains("get lease " + FULLNAME + "-leader")
        .contains("render -f examples/platform-peak-50.yaml");
  }

  @Test
  void everyValueIsDocumentedAndTyped() throws IOException {
    Path chartDir = repositoryRoot.resolve("charts/flowfleet-operator");
    List<String> lines = Files.readAllLines(chartDir.resolve("values.yaml"));
    JsonNode values = Manifests.documents(Files.readString(chartDir.resolve("values.yaml"))).getFirst();
    JsonNode schema = Manifests.YAML.readTree(chartDir.resolve("values.schema.json").toFile());

    // A value is documented by the comment right above it, or (for a group such as image:) above each of its keys.
    List<String> undocumented = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      boolean topLevelKey = line.matches("^[A-Za-z][A-Za-z0-9]*:.*");
      boolean groupKey = i > 0 && line.matches("^  [A-Za-z][A-Za-z0-9]*:.*") && isGroup(lines, i);
      if ((topLevelKey && !line.matches("^[A-Za-z][A-Za-z0-9]*:\\s*$")) || groupKey) {
        if (!lines.get(i - 1).trim().startsWith("#")) {
          undocumented.add(line.trim());
        }
      }
    }
    assertThat(undocumented).as("values without a comment above them in values.yaml").isEmpty();
    List<String> valueNames = new ArrayList<>();
    values.fieldNames().forEachRemaining(valueNames::add);
    List<String> typedNames = new ArrayList<>();
    schema.path("properties").fieldNames().forEachRemaining(typedNames::add);
    assertThat(typedNames).as("values.schema.json properties").containsExactlyInAnyOrderElementsOf(valueNames);
  }

  /** Whether line i is a key directly inside a top-level group whose own line has no comment above it. */
  private static boolean isGroup(List<String> lines, int i) {
    for (int j = i - 1; j >= 0; j--) {
      String line = lines.get(j);
      if (line.matches("^[A-Za-z][A-Za-z0-9]*:\\s*$")) {
        return j == 0 || !lines.get(j - 1).trim().startsWith("#");
      }
      if (line.matches("^[A-Za-z].*")) {
        return false;
      }
    }
    return false;
  }

  @Test
  void appVersionIsTheProjectVersion() throws IOException {
    JsonNode chartYaml = Manifests.documents(repositoryRoot.resolve("charts/flowfleet-operator/Chart.yaml")).getFirst();

    assertThat(chartYaml.path("appVersion").asText()).isEqualTo(projectVersion());
  }

  // -- helpers

  /** The version in the root pom.xml (the first <version> after the parent's coordinates). */
  private static String projectVersion() throws IOException {
    String pom = Files.readString(repositoryRoot.resolve("pom.xml"));
    int artifact = pom.indexOf("<artifactId>flowfleet-parent</artifactId>");
    int start = pom.indexOf("<version>", artifact) + "<version>".length();
    return pom.substring(start, pom.indexOf("</version>", start)).trim();
  }

  private static <T> T the(List<JsonNode> documents, Class<T> type) {
    List<JsonNode> ofKind = Manifests.ofKind(documents, type.getSimpleName());
    assertThat(ofKind).as("rendered %s objects", type.getSimpleName()).hasSize(1);
    return convert(ofKind.getFirst(), type);
  }

  private static <T> T convert(JsonNode document, Class<T> type) {
    return SERIALIZATION.convertValue(document, type);
  }

  private static ClusterRole operatorClusterRole(List<JsonNode> documents) {
    return Manifests.ofKind(documents, "ClusterRole").stream()
        .filter(r -> r.path("metadata").path("name").asText().equals(FULLNAME))
        .map(r -> convert(r, ClusterRole.class)).findFirst().orElseThrow();
  }

  private static ClusterRole clusterRole(List<JsonNode> documents, String name) {
    return Manifests.ofKind(documents, "ClusterRole").stream()
        .filter(r -> r.path("metadata").path("name").asText().equals(name))
        .map(r -> convert(r, ClusterRole.class)).findFirst().orElseThrow(() -> new AssertionError("no ClusterRole " + name));
  }

  private static PodSpec operatorPod(List<JsonNode> documents) {
    return the(documents, Deployment.class).getSpec().getTemplate().getSpec();
  }

  private static Container operatorContainer(List<JsonNode> documents) {
    List<Container> containers = operatorPod(documents).getContainers();
    assertThat(containers).hasSize(1);
    return containers.getFirst();
  }

  private static String env(Container container, String name) {
    return container.getEnv().stream().filter(e -> e.getName().equals(name)).map(EnvVar::getValue)
        .findFirst().orElseThrow(() -> new AssertionError("no env " + name + " in " + container.getEnv()));
  }

  /** "group/resource: verb" lines (resource names appended as "[name]") of a list of rules. */
  static Set<String> grants(List<PolicyRule> rules) {
    Set<String> grants = new TreeSet<>();
    for (PolicyRule rule : rules) {
      String names = rule.getResourceNames() == null || rule.getResourceNames().isEmpty()
          ? "" : rule.getResourceNames().stream().sorted().collect(Collectors.joining(",", "[", "]"));
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          for (String verb : rule.getVerbs()) {
            grants.add(group + "/" + resource + names + ": " + verb);
          }
        }
      }
    }
    return grants;
  }

  /**
   * The "RBAC used" table of docs/operator.md as "group/resource: verb" lines. Rows look like
   * {@code | `apps` | `deployments` | list, watch, create, patch | why |}; "core" is the "" group.
   */
  static Set<String> rbacUsed() throws IOException {
    List<String> lines = Files.readAllLines(repositoryRoot.resolve(RBAC_USED_DOC));
    int section = lines.indexOf("## RBAC used");
    assertThat(section).as("a '## RBAC used' section in %s", RBAC_USED_DOC).isNotNegative();
    Set<String> grants = new TreeSet<>();
    for (String line : lines.subList(section + 1, lines.size())) {
      if (line.startsWith("## ")) {
        break;
      }
      String[] cells = line.split("\\|");
      if (!line.startsWith("|") || cells.length < 4 || cells[1].isBlank() || cells[1].contains("---")
          || cells[1].trim().equals("API group")) {
        continue;
      }
      String group = cells[1].replace("`", "").trim();
      group = group.equals("core") ? "" : group;
      for (String resource : cells[2].split(",")) {
        for (String verb : cells[3].split(",")) {
          grants.add(group + "/" + resource.replace("`", "").trim() + ": " + verb.trim());
        }
      }
    }
    return grants;
  }
}
