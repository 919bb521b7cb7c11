package io.flowfleet.operator.desired;

import static io.flowfleet.operator.Fixtures.group;
import static io.flowfleet.operator.Fixtures.platform;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.flowfleet.operator.OperatorVersion;
import io.flowfleet.operator.api.FlowPlatform;
import io.flowfleet.operator.api.ImageSpec;
import io.flowfleet.operator.api.WorkerGroup;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PlatformManifestsTest {

  @Test
  void peakFiftyGivesFiftyWorkersAndFiveApps() {
    FlowPlatform platform = platform("prod", 50);
    assertThat(WorkerTier.deployment(platform).getSpec().getReplicas()).isEqualTo(50);
    assertThat(AppTier.deployment(platform, List.of()).getSpec().getReplicas()).isEqualTo(5);
    assertThat(PlatformManifests.platform(platform, List.of())).extracting(HasMetadata::getKind)
        .containsExactly("ConfigMap", "Service", "Deployment", "PodDisruptionBudget", "Deployment",
            "PodDisruptionBudget");
  }

  @Test
  void podsAreHardened() {
    for (Deployment deployment : List.of(AppTier.deployment(platform("p", 3), List.of()),
        WorkerTier.deployment(platform("p", 3)), WorkerGroupTier.deployment(group("g", "p", 2, "a"), platform("p", 3)))) {
      PodSpec pod = deployment.getSpec().getTemplate().getSpec();
      assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
      assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
      assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
      assertThat(pod.getAutomountServiceAccountToken()).isFalse();
      Container container = pod.getContainers().getFirst();
      assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
      assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
      assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
      assertThat(container.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
      assertThat(pod.getVolumes()).anySatisfy(v -> assertThat(v.getEmptyDir()).isNotNull());
      assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
      assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
      assertThat(container.getPorts().getFirst().getContainerPort()).isEqualTo(8080);
      assertThat(container.getReadinessProbe().getHttpGet().getPort()).isEqualTo(new IntOrString("http"));
      assertThat(deployment.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable())
          .as("rollouts never drop below the warm count").isEqualTo(new IntOrString(0));
    }
  }

  @Test
  void connectionSettingsComeOnlyFromSecretsByReference() {
    FlowPlatform platform = platform("p", 3);
    Map<String, EnvVar> app = env(AppTier.deployment(platform, List.of()));
    assertThat(app.get("AP_POSTGRES_URL").getValueFrom().getSecretKeyRef().getName()).isEqualTo("pg");
    assertThat(app.get("AP_POSTGRES_URL").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("url");
    assertThat(app.get("AP_POSTGRES_PASSWORD").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("password");
    assertThat(app.get("AP_REDIS_URL").getValueFrom().getSecretKeyRef().getName()).isEqualTo("redis");
    assertThat(app.get("AP_S3_SECRET_ACCESS_KEY").getValueFrom().getSecretKeyRef().getKey()).isEqualTo("secretAccessKey");
    assertThat(app.get("AP_S3_ENDPOINT").getValueFrom().getSecretKeyRef().getOptional()).isTrue();
    assertThat(app.get("AP_API_KEY").getValueFrom().getSecretKeyRef().getName()).isEqualTo("api-key");
    // every connection setting is a Secret reference; the one plain value is the derived shutdown grace
    assertThat(app.values()).filteredOn(e -> !e.getName().equals("AP_SHUTDOWN_GRACE_SECONDS"))
        .allSatisfy(e -> assertThat(e.getValue()).as(e.getName()).isNull());
    assertThat(app.get("AP_SHUTDOWN_GRACE_SECONDS").getValue()).isEqualTo("35");
    Map<String, EnvVar> worker = env(WorkerTier.deployment(platform));
    assertThat(worker).containsKeys("AP_POSTGRES_URL", "AP_REDIS_URL", "AP_S3_BUCKET").doesNotContainKey("AP_API_KEY");
    ConfigMap config = RuntimeConfig.configMap(platform, List.of());
    assertThat(String.join(" ", config.getData().values())).doesNotContain("pg").doesNotContain("jdbc");
    assertThat(AppTier.deployment(platform, List.of()).getSpec().getTemplate().getSpec().getContainers().getFirst()
        .getEnvFrom().getFirst().getConfigMapRef().getName()).isEqualTo(config.getMetadata().getName());
  }

  @Test
  void runtimeConfigCarriesTheRecommendedSettingsLimitsAndRoutes() {
    FlowPlatform platform = platform("p", 3);
    platform.getSpec().getLimits().setFlowTimeoutSeconds(120);
    Map<String, String> data = RuntimeConfig.configMap(platform,
        List.of(group("gold", "p", 2, "acme", "globex"), group("silver", "p", 1, "initech"))).getData();
    assertThat(data).containsEntry("AP_WORKER_CONCURRENCY", "1")
        .containsEntry("AP_REUSE_SANDBOX", "true")
        .containsEntry("AP_EXECUTION_MODE", "SANDBOX_CODE_ONLY")
        .containsEntry("AP_S3_USE_SIGNED_URLS", "true")
        .containsEntry("AP_S3_REGION", "eu-west-1")
        .containsEntry("AP_FLOW_TIMEOUT_SECONDS", "120")
        .containsEntry("AP_WEBHOOK_TIMEOUT_SECONDS", "30")
        .containsEntry("AP_MAX_WEBHOOK_PAYLOAD_SIZE_MB", "25")
        .containsEntry("AP_MAX_FILE_SIZE_MB", "25")
        .containsEntry("AP_MAX_FLOW_RUN_LOG_SIZE_MB", "50")
        .containsEntry("AP_QUEUE_NAME", "default")
        .containsEntry("AP_QUEUE_ROUTES", "acme=gold,globex=gold,initech=silver");
  }

  @Test
  void aNewRouteRollsTheAppsButNotTheWarmWorkers() {
    FlowPlatform platform = platform("p", 3);
    String appBefore = hash(AppTier.deployment(platform, List.of()));
    String appAfter = hash(AppTier.deployment(platform, List.of(group("g", "p", 1, "acme"))));
    assertThat(appAfter).isNotEqualTo(appBefore);
    String workerBefore = hash(WorkerTier.deployment(platform));
    platform.getSpec().getLimits().setFlowTimeoutSeconds(60);
    assertThat(hash(WorkerTier.deployment(platform))).as("a limit change rolls workers").isNotEqualTo(workerBefore);
  }

  @Test
  void noLabelOrAnnotationOfTheCustomResourceReachesItsChildren() {
    FlowPlatform platform = platform("p", 3);
    platform.getMetadata().setLabels(Map.of("argocd.argoproj.io/instance", "prod", "team", "x"));
    platform.getMetadata().setAnnotations(Map.of("kubectl.kubernetes.io/last-applied-configuration", "{}"));
    for (HasMetadata child : PlatformManifests.platform(platform, List.of())) {
      assertThat(child.getMetadata().getLabels()).doesNotContainKeys("argocd.argoproj.io/instance", "team")
          .containsEntry("app.kubernetes.io/managed-by", "flowfleet-operator")
          .containsEntry("app.kubernetes.io/instance", "p")
          .containsEntry("app.kubernetes.io/name", "flowfleet")
          .containsKey("app.kubernetes.io/component");
      assertThat(child.getMetadata().getAnnotations()).isNullOrEmpty();
    }
    Deployment app = AppTier.deployment(platform, List.of());
    assertThat(app.getSpec().getTemplate().getMetadata().getLabels()).doesNotContainKeys("team");
    assertThat(app.getSpec().getTemplate().getMetadata().getAnnotations())
        .containsOnlyKeys(PodTemplates.CONFIG_HASH_ANNOTATION, SecretDigests.ANNOTATION);
  }

  @Test
  void childrenAreOwnedByTheirCustomResource() {
    FlowPlatform platform = platform("p", 3);
    platform.getMetadata().setUid("uid-1");
    for (HasMetadata child : PlatformManifests.platform(platform, List.of())) {
      assertThat(child.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
        assertThat(ref.getUid()).isEqualTo("uid-1");
        assertThat(ref.getKind()).isEqualTo("FlowPlatform");
        assertThat(ref.getApiVersion()).isEqualTo("flowfleet.io/v1alpha1");
        assertThat(ref.getController()).isTrue();
      });
    }
    WorkerGroup group = group("g", "p", 2, "a");
    group.getMetadata().setUid("uid-g");
    assertThat(PlatformManifests.workerGroup(group, platform)).allSatisfy(child ->
        assertThat(child.getMetadata().getOwnerReferences()).singleElement()
            .satisfies(ref -> assertThat(ref.getKind()).isEqualTo("WorkerGroup")));
    assertThat(AppTier.service(platform("offline", 1)).getMetadata().getOwnerReferences())
        .as("no uid yet (render): no reference").isEmpty();
  }

  @Test
  void aDigestPinsTheImageAndAGroupInheritsItUnlessItNamesItsOwnTag() {
    String digest = "sha256:" + "0123456789abcdef".repeat(4);
    FlowPlatform platform = platform("p", 3);
    ImageSpec image = new ImageSpec();
    image.setRepository("registry.example/worker");
    image.setDigest(digest);
    platform.getSpec().getWorker().setImage(image);
    Deployment workers = WorkerTier.deployment(platform);
    assertThat(container(workers).getImage()).isEqualTo("registry.example/worker@" + digest);
    assertThat(workers.getMetadata().getLabels()).containsEntry("app.kubernetes.io/version", "sha256-0123456789ab");

    var group = group("g", "p", 1, "acme");
    assertThat(container(WorkerGroupTier.deployment(group, platform)).getImage())
        .isEqualTo("registry.example/worker@" + digest);
    ImageSpec own = new ImageSpec();
    own.setTag("2.0.0");
    group.getSpec().getWorker().setImage(own);
    assertThat(container(WorkerGroupTier.deployment(group, platform)).getImage())
        .as("the group's own tag wins over the platform's digest").isEqualTo("registry.example/worker:2.0.0");

    image.setTag("1.4.0");
    assertThat(WorkerTier.deployment(platform).getMetadata().getLabels())
        .as("a tag given with the digest labels the pods").containsEntry("app.kubernetes.io/version", "1.4.0");
    assertThat(container(WorkerTier.deployment(platform)).getImage()).isEqualTo("registry.example/worker@" + digest);
  }

  @Test
  void imageTagDefaultsToTheOperatorVersionAndCanBeOverridden() {
    FlowPlatform platform = platform("p", 3);
    assertThat(container(WorkerTier.deployment(platform)).getImage())
        .isEqualTo("flowfleet/flowfleet-worker:" + OperatorVersion.get());
    assertThat(OperatorVersion.get()).isNotBlank().doesNotContain("${");
    ImageSpec image = new ImageSpec();
    image.setRepository("registry.example/app");
    image.setTag("1.2.3");
    platform.getSpec().getApp().setImage(image);
    assertThat(container(AppTier.deployment(platform, List.of())).getImage()).isEqualTo("registry.example/app:1.2.3");
    assertThat(AppTier.deployment(platform, List.of()).getMetadata().getLabels())
        .containsEntry("app.kubernetes.io/version", "1.2.3");
  }

  @Test
  void extraEnvOverridesByNameAndDropsTheDeadPreWarmVariable() {
    FlowPlatform platform = platform("p", 3);
    platform.getSpec().getWorker().setEnv(List.of(
        new EnvVarBuilder().withName("AP_PRE_WARM_CACHE").withValue("true").build(),
        new EnvVarBuilder().withName("JAVA_OPTS").withValue("-Xss1m").build()));
    Map<String, EnvVar> env = env(WorkerTier.deployment(platform));
    assertThat(env).doesNotContainKey("AP_PRE_WARM_CACHE").containsKey("JAVA_OPTS");
    assertThat(ExtraEnv.warnings("spec.worker.env", platform.getSpec().getWorker().getEnv()))
        .singleElement().asString().contains("AP_PRE_WARM_CACHE dropped from spec.worker.env");
  }

  @Test
  void workerGroupRunsOnItsOwnQueueWithTheProcessSandbox() {
    FlowPlatform platform = platform("prod", 50);
    WorkerGroup group = group("premium", "prod", 10, "acme");
    Deployment deployment = WorkerGroupTier.deployment(group, platform);
    assertThat(deployment.getMetadata().getName()).isEqualTo("prod-group-premium");
    assertThat(deployment.getSpec().getReplicas()).isEqualTo(10);
    Map<String, EnvVar> env = env(deployment);
    assertThat(env.get("AP_QUEUE_NAME").getValue()).isEqualTo("premium");
    assertThat(env.get("AP_EXECUTION_MODE").getValue()).isEqualTo("SANDBOX_PROCESS");
    assertThat(env.get("AP_POSTGRES_URL").getValueFrom().getSecretKeyRef().getName()).isEqualTo("pg");
    assertThat(deployment.getSpec().getSelector().getMatchLabels())
        .containsEntry("flowfleet.io/worker-group", "premium")
        .isNotEqualTo(WorkerTier.deployment(platform).getSpec().getSelector().getMatchLabels());
    PodDisruptionBudget pdb = WorkerGroupTier.disruptionBudget(group);
    assertThat(pdb.getSpec().getSelector().getMatchLabels()).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
  }

  @Test
  void serviceAndBudgetsSelectTheirOwnRole() {
    FlowPlatform platform = platform("p", 30);
    Service service = AppTier.service(platform);
    assertThat(service.getSpec().getSelector()).isEqualTo(
        AppTier.deployment(platform, List.of()).getSpec().getSelector().getMatchLabels());
    assertThat(AppTier.disruptionBudget(platform).getSpec().getMaxUnavailable()).isEqualTo(new IntOrString(1));
    assertThat(WorkerTier.disruptionBudget(platform).getSpec().getSelector().getMatchLabels())
        .isEqualTo(WorkerTier.deployment(platform).getSpec().getSelector().getMatchLabels());
  }

  @Test
  void workerConcurrencyFiveSizesFewerBiggerWorkers() {
    FlowPlatform platform = platform("p", 50);
    platform.getSpec().getExecution().setWorkerConcurrency(5);
    Deployment workers = WorkerTier.deployment(platform);
    assertThat(workers.getSpec().getReplicas()).isEqualTo(10);
    assertThat(container(workers).getResources().getRequests().get("memory").toString()).isEqualTo("5Gi");
    assertThat(RuntimeConfig.data(platform, List.of())).containsEntry("AP_WORKER_CONCURRENCY", "5");
    assertThat(AppTier.deployment(platform, List.of()).getSpec().getReplicas()).isEqualTo(5);
  }

  private static Container container(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
  }

  private static Map<String, EnvVar> env(Deployment deployment) {
    return container(deployment).getEnv().stream().collect(Collectors.toMap(EnvVar::getName, Function.identity()));
  }

  private static String hash(Deployment deployment) {
    return deployment.getSpec().getTemplate().getMetadata().getAnnotations().get(PodTemplates.CONFIG_HASH_ANNOTATION);
  }
}
