package io.flowfleet.operator.reconcile;

import static io.flowfleet.operator.Fixtures.NAMESPACE;
import static io.flowfleet.operator.Fixtures.group;
import static io.flowfleet.operator.Fixtures.platform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.flowfleet.operator.api.FleetStatus;
import io.flowfleet.operator.api.FlowPlatform;
import io.flowfleet.operator.api.StoreRef;
import io.flowfleet.operator.api.WorkerGroup;
import io.flowfleet.operator.desired.SecretDigests;
import io.flowfleet.operator.health.ArgoHealth;
import io.flowfleet.operator.validation.Reasons;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The conditions GitOps tools read (Ready, Reconciling, Stalled), their transitions with the real JOSDK Operator
 * against the fabric8 CRUD mock, and what a referenced Secret's deletion or rotation does. At every step the
 * chart's Argo CD health scripts are executed (luaj) on the resource exactly as the reconciler left it.
 */
class GitOpsStatusTest {

  static MockCluster cluster;
  static final ArgoHealth PLATFORM_HEALTH = ArgoHealth.forKind("FlowPlatform");
  static final ArgoHealth GROUP_HEALTH = ArgoHealth.forKind("WorkerGroup");

  @BeforeAll
  static void start() throws Exception {
    cluster = new MockCluster();
    cluster.startOperator();
  }

  @AfterAll
  static void stop() {
    cluster.close();
  }

  @Test
  void aPlatformGoesReconcilingThenReadyAndStallsWhileItsSecretIsGone() {
    secret("pg-cycle", Map.of("url", "jdbc:postgresql://db/flows", "username", "flows", "password", "one"));
    FlowPlatform platform = platform("cycle", 3);
    platform.getSpec().setPostgres(new StoreRef("pg-cycle", "eu-west-1"));
    assertThat(PLATFORM_HEALTH.of(platform)).as("no status yet")
        .isEqualTo(new ArgoHealth.Result("Progressing", "waiting for the operator to report a status"));
    create(platform);

    FlowPlatform applied = awaitPlatform("cycle", p -> isTrue(p.getStatus(), FleetConditions.RECONCILING));
    assertConditions(applied.getStatus(), 1, "False", "True", "False");
    assertThat(reason(applied.getStatus(), FleetConditions.RECONCILING)).isEqualTo(Reasons.PROGRESSING);
    assertThat(condition(applied.getStatus(), FleetConditions.RECONCILING).getMessage()).contains("rollout in progress");
    assertThat(PLATFORM_HEALTH.of(applied)).isEqualTo(new ArgoHealth.Result("Progressing",
        "Progressing: 0/3 workers and 0/1 apps ready, rollout in progress"));

    markReady("cycle-worker", 3);
    markReady("cycle-app", 1);
    FlowPlatform ready = awaitPlatform("cycle", p -> isTrue(p.getStatus(), FleetConditions.READY));
    assertConditions(ready.getStatus(), 1, "True", "False", "False");
    assertThat(PLATFORM_HEALTH.of(ready)).isEqualTo(new ArgoHealth.Result("Healthy",
        "3 workers (3 slots) and 1 apps ready"));
    // the scale subresource's status: ready slots against spec.peakConcurrentFlows, and the worker pods' selector
    assertThat(ready.getStatus().getReadySlots()).isEqualTo(3);
    assertThat(ready.getStatus().getSelector()).isEqualTo(
        "app.kubernetes.io/name=flowfleet,app.kubernetes.io/instance=cycle,app.kubernetes.io/component=worker");
    // right after a sync, before the operator looked at the new spec: the old Ready says nothing about it
    ready.getMetadata().setGeneration(2L);
    assertThat(PLATFORM_HEALTH.of(ready).status()).isEqualTo("Progressing");

    // the Secret informer sees the deletion at once: Stalled names what the user has to do; the fleet stays
    cluster.client.secrets().inNamespace(NAMESPACE).withName("pg-cycle").delete();
    FlowPlatform stalled = awaitPlatform("cycle", p -> isTrue(p.getStatus(), FleetConditions.STALLED));
    assertConditions(stalled.getStatus(), 1, "False", "False", "True");
    assertThat(reason(stalled.getStatus(), FleetConditions.STALLED)).isEqualTo(Reasons.SECRET_NOT_FOUND);
    assertThat(condition(stalled.getStatus(), FleetConditions.STALLED).getMessage()).contains("Secret pg-cycle");
    assertThat(get(Deployment.class, "cycle-worker")).as("a missing Secret never removes the fleet").isNotNull();
    ArgoHealth.Result degraded = PLATFORM_HEALTH.of(stalled);
    assertThat(degraded.status()).isEqualTo("Degraded");
    assertThat(degraded.message()).startsWith("SecretNotFound: Secret pg-cycle (spec.postgres.secretName) not found");

    secret("pg-cycle", Map.of("url", "jdbc:postgresql://db/flows", "username", "flows", "password", "one"));
    FlowPlatform back = awaitPlatform("cycle", p -> isTrue(p.getStatus(), FleetConditions.READY));
    assertConditions(back.getStatus(), 1, "True", "False", "False");
    assertThat(PLATFORM_HEALTH.of(back).status()).isEqualTo("Healthy");
  }

  @Test
  void aWorkerGroupGoesReconcilingThenReadyAndStallsWhileItsPlatformsSecretIsGone() {
    secret("redis-groupcycle", Map.of("url", "redis://redis:6379"));
    FlowPlatform platform = platform("gcycle", 2);
    platform.getSpec().setRedis(new StoreRef("redis-groupcycle", "eu-west-1"));
    create(platform);
    cluster.client.resources(WorkerGroup.class).inNamespace(NAMESPACE)
        .resource(group("gold", "gcycle", 2, "gold-project")).create();

    WorkerGroup applied = awaitGroup("gold", g -> isTrue(g.getStatus(), FleetConditions.RECONCILING));
    assertConditions(applied.getStatus(), 1, "False", "True", "False");
    assertThat(GROUP_HEALTH.of(applied)).isEqualTo(new ArgoHealth.Result("Progressing",
        "Progressing: 0/2 workers ready, rollout in progress"));

    markReady("gcycle-group-gold", 2);
    WorkerGroup ready = awaitGroup("gold", g -> isTrue(g.getStatus(), FleetConditions.READY));
    assertConditions(ready.getStatus(), 1, "True", "False", "False");
    assertThat(GROUP_HEALTH.of(ready)).isEqualTo(new ArgoHealth.Result("Healthy",
        "2 workers (2 slots) ready on queue gold"));

    cluster.client.secrets().inNamespace(NAMESPACE).withName("redis-groupcycle").delete();
    WorkerGroup stalled = awaitGroup("gold", g -> isTrue(g.getStatus(), FleetConditions.STALLED));
    assertConditions(stalled.getStatus(), 1, "False", "False", "True");
    assertThat(reason(stalled.getStatus(), FleetConditions.STALLED)).isEqualTo(Reasons.PLATFORM_INVALID);
    assertThat(condition(stalled.getStatus(), FleetConditions.STALLED).getMessage()).contains("redis-groupcycle");
    assertThat(GROUP_HEALTH.of(stalled).status()).isEqualTo("Degraded");
    assertThat(GROUP_HEALTH.of(stalled).message()).startsWith("PlatformInvalid: FlowPlatform gcycle is not valid");

    secret("redis-groupcycle", Map.of("url", "redis://redis:6379"));
    WorkerGroup back = awaitGroup("gold", g -> isTrue(g.getStatus(), FleetConditions.READY));
    assertConditions(back.getStatus(), 1, "True", "False", "False");
    assertThat(GROUP_HEALTH.of(back).status()).isEqualTo("Healthy");
  }

  @Test
  void aRegionMismatchStallsAndAFixedSpecReconcilesWithTheNewGeneration() {
    FlowPlatform platform = platform("mismatch", 1);
    platform.getSpec().setS3(new StoreRef("s3", "us-east-1"));
    create(platform);
    FlowPlatform stalled = awaitPlatform("mismatch", p -> isTrue(p.getStatus(), FleetConditions.STALLED));
    assertThat(reason(stalled.getStatus(), FleetConditions.STALLED)).isEqualTo(Reasons.REGION_MISMATCH);
    assertConditions(stalled.getStatus(), 1, "False", "False", "True");
    assertThat(PLATFORM_HEALTH.of(stalled).status()).isEqualTo("Degraded");

    editPlatform("mismatch", p -> p.getSpec().setS3(new StoreRef("s3", "eu-west-1")));
    FlowPlatform fixed = awaitPlatform("mismatch", p -> p.getStatus().getObservedGeneration() == 2L
        && isTrue(p.getStatus(), FleetConditions.RECONCILING));
    assertConditions(fixed.getStatus(), 2, "False", "True", "False");
    assertThat(PLATFORM_HEALTH.of(fixed).status()).isEqualTo("Progressing");
  }

  @Test
  void thePauseAnnotationStopsChangesAndReadsAsSuspended() {
    create(platform("still", 2));
    markReady("still-worker", 2);
    markReady("still-app", 1);
    awaitPlatform("still", p -> isTrue(p.getStatus(), FleetConditions.READY));

    editPlatform("still", p -> p.getMetadata().getAnnotations().put(Paused.ANNOTATION, "true"));
    FlowPlatform paused = awaitPlatform("still", p -> Reasons.PAUSED.equals(reason(p.getStatus(), FleetConditions.READY)));
    assertConditions(paused.getStatus(), 1, "False", "False", "False");
    assertThat(PLATFORM_HEALTH.of(paused).status()).isEqualTo("Suspended");
    // the annotation alone already reads as Suspended, before the operator reported it
    paused.setStatus(null);
    assertThat(PLATFORM_HEALTH.of(paused).status()).isEqualTo("Suspended");

    // a spec change while paused is not applied
    editPlatform("still", p -> p.getSpec().setPeakConcurrentFlows(7));
    awaitPlatform("still", p -> p.getStatus().getObservedGeneration() == 2L);
    assertThat(get(Deployment.class, "still-worker").getSpec().getReplicas()).isEqualTo(2);

    // removing the annotation applies what changed meanwhile
    editPlatform("still", p -> p.getMetadata().getAnnotations().remove(Paused.ANNOTATION));
    awaitDeployment("still-worker", d -> d.getSpec().getReplicas() == 7);
    FlowPlatform resumed = awaitPlatform("still", p -> isTrue(p.getStatus(), FleetConditions.RECONCILING));
    assertThat(PLATFORM_HEALTH.of(resumed).status()).isEqualTo("Progressing");
  }

  @Test
  void aPausedWorkerGroupReadsAsSuspended() {
    create(platform("gpause", 1));
    WorkerGroup group = group("quiet", "gpause", 1, "quiet-project");
    group.getMetadata().setAnnotations(Map.of(Paused.ANNOTATION, "true"));
    cluster.client.resources(WorkerGroup.class).inNamespace(NAMESPACE).resource(group).create();
    WorkerGroup paused = awaitGroup("quiet", g -> Reasons.PAUSED.equals(reason(g.getStatus(), FleetConditions.READY)));
    assertConditions(paused.getStatus(), 1, "False", "False", "False");
    assertThat(GROUP_HEALTH.of(paused).status()).isEqualTo("Suspended");
    assertThat(get(Deployment.class, "gpause-group-quiet")).as("nothing applied while paused").isNull();
  }

  /** Rotating a Secret rolls exactly the Deployments whose pods read it, never dropping a ready pod. */
  @Test
  void rotatingASecretRollsExactlyThePodsThatReadIt() {
    secret("pg-rotate", Map.of("url", "jdbc:postgresql://db/flows", "username", "flows", "password", "first"));
    secret("api-rotate", Map.of("apiKey", "key-1"));
    secret("extra-rotate", Map.of("token", "t-1"));
    FlowPlatform platform = platform("rotate", 2);
    platform.getSpec().setPostgres(new StoreRef("pg-rotate", "eu-west-1"));
    platform.getSpec().setApiKeySecretRef(new io.flowfleet.operator.api.SecretRef("api-rotate"));
    platform.getSpec().getWorker().setEnv(List.of(new EnvVarBuilder().withName("PARTNER_TOKEN")
        .withNewValueFrom().withNewSecretKeyRef("token", "extra-rotate", null).endValueFrom().build()));
    create(platform);
    cluster.client.resources(WorkerGroup.class).inNamespace(NAMESPACE)
        .resource(group("rotors", "rotate", 1, "rotor-project")).create();
    List<String> deployments = List.of("rotate-app", "rotate-worker", "rotate-group-rotors");
    deployments.forEach(d -> awaitDeployment(d, x -> secretsHash(d) != null));
    Map<String, String> initial = hashes(deployments);
    assertThat(deployments).allSatisfy(d -> assertThat(get(Deployment.class, d).getSpec().getStrategy()
        .getRollingUpdate().getMaxUnavailable().getIntVal()).as(d + " maxUnavailable").isZero());

    // the database password: every pod reads it
    secret("pg-rotate", Map.of("url", "jdbc:postgresql://db/flows", "username", "flows", "password", "second"));
    await().until(() -> changed(initial, deployments).equals(deployments));
    Map<String, String> afterPassword = hashes(deployments);

    // the API key: only the apps read it
    secret("api-rotate", Map.of("apiKey", "key-2"));
    await().until(() -> !changed(afterPassword, List.of("rotate-app")).isEmpty());
    Map<String, String> afterApiKey = hashes(deployments);
    assertThat(changed(afterPassword, deployments)).containsExactly("rotate-app");

    // a Secret named in the platform's worker env: the platform's workers and the group's (which inherit it)
    secret("extra-rotate", Map.of("token", "t-2"));
    await().until(() -> changed(afterApiKey, deployments).size() == 2);
    assertThat(changed(afterApiKey, deployments)).containsExactly("rotate-worker", "rotate-group-rotors");

    // an unrelated Secret changes nothing
    Map<String, String> settled = hashes(deployments);
    secret("api-key", Map.of("apiKey", "someone-else's"));
    int before = cluster.reconciliationsOf("rotate");
    editPlatform("rotate", p -> p.getSpec().getLimits().setMaxFileSizeMb(24));
    await().until(() -> cluster.reconciliationsOf("rotate") > before);
    assertThat(hashes(deployments)).isEqualTo(settled);
  }

  private static Map<String, String> hashes(List<String> deployments) {
    Map<String, String> hashes = new java.util.LinkedHashMap<>();
    deployments.forEach(d -> hashes.put(d, secretsHash(d)));
    return hashes;
  }

  private static List<String> changed(Map<String, String> before, List<String> deployments) {
    return deployments.stream().filter(d -> !Objects.equals(before.get(d), secretsHash(d))).toList();
  }

  // --- helpers (shared with the other GitOps tests of this package)

  static void assertConditions(FleetStatus status, long generation, String ready, String reconciling, String stalled) {
    assertThat(status.getObservedGeneration()).isEqualTo(generation);
    assertThat(status.getConditions()).extracting(Condition::getType)
        .containsExactly(FleetConditions.READY, FleetConditions.RECONCILING, FleetConditions.STALLED);
    assertThat(status.getConditions()).allSatisfy(c -> {
      assertThat(c.getObservedGeneration()).as(c.getType() + " observedGeneration").isEqualTo(generation);
      assertThat(c.getLastTransitionTime()).isNotNull();
      assertThat(c.getReason()).isNotBlank();
    });
    assertThat(condition(status, FleetConditions.READY).getStatus()).as("Ready").isEqualTo(ready);
    assertThat(condition(status, FleetConditions.RECONCILING).getStatus()).as("Reconciling").isEqualTo(reconciling);
    assertThat(condition(status, FleetConditions.STALLED).getStatus()).as("Stalled").isEqualTo(stalled);
  }

  static Condition condition(FleetStatus status, String type) {
    return FleetConditions.find(status.getConditions(), type);
  }

  static String reason(FleetStatus status, String type) {
    return condition(status, type).getReason();
  }

  static boolean isTrue(FleetStatus status, String type) {
    return status != null && FleetConditions.isTrue(status.getConditions(), type);
  }

  static void secret(String name, Map<String, String> values) {
    var secret = new SecretBuilder().withNewMetadata().withName(name).withNamespace(NAMESPACE).endMetadata()
        .withStringData(values).build();
    cluster.client.secrets().resource(secret).createOr(existing -> existing.update());
  }

  static FlowPlatform create(FlowPlatform platform) {
    return cluster.client.resources(FlowPlatform.class).inNamespace(NAMESPACE).resource(platform).create();
  }

  static void editPlatform(String name, java.util.function.Consumer<FlowPlatform> change) {
    await().ignoreException(io.fabric8.kubernetes.client.KubernetesClientException.class).until(() -> {
      cluster.client.resources(FlowPlatform.class).inNamespace(NAMESPACE).withName(name).edit(p -> {
        change.accept(p);
        return p;
      });
      return true;
    });
  }

  static <T extends HasMetadata> T get(Class<T> type, String name) {
    return cluster.client.resources(type).inNamespace(NAMESPACE).withName(name).get();
  }

  static FlowPlatform awaitPlatform(String name, Predicate<FlowPlatform> condition) {
    return await().until(() -> get(FlowPlatform.class, name), p -> p != null && p.getStatus() != null && condition.test(p));
  }

  static WorkerGroup awaitGroup(String name, Predicate<WorkerGroup> condition) {
    return await().until(() -> get(WorkerGroup.class, name), g -> g != null && g.getStatus() != null && condition.test(g));
  }

  static Deployment awaitDeployment(String name, Predicate<Deployment> condition) {
    return await().until(() -> get(Deployment.class, name), d -> d != null && condition.test(d));
  }

  static String secretsHash(String deployment) {
    Deployment d = get(Deployment.class, deployment);
    return d == null ? null : d.getSpec().getTemplate().getMetadata().getAnnotations().get(SecretDigests.ANNOTATION);
  }

  /** What the Deployment controller would report once every pod of the current template is up. */
  static void markReady(String deployment, int replicas) {
    Deployment d = awaitDeployment(deployment, Objects::nonNull);
    d.setStatus(new DeploymentStatusBuilder().withReplicas(replicas).withReadyReplicas(replicas)
        .withUpdatedReplicas(replicas).withAvailableReplicas(replicas)
        .withObservedGeneration(d.getMetadata().getGeneration()).build());
    cluster.client.resource(d).updateStatus();
  }

}
