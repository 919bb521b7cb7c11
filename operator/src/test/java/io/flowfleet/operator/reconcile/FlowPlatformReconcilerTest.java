package io.flowfleet.operator.reconcile;

import static io.flowfleet.operator.Fixtures.NAMESPACE;
import static io.flowfleet.operator.Fixtures.group;
import static io.flowfleet.operator.Fixtures.platform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatusBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.flowfleet.operator.api.FlowPlatform;
import io.flowfleet.operator.api.StoreRef;
import io.flowfleet.operator.api.WorkerGroup;
import io.flowfleet.operator.validation.Reasons;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;
import io.fabric8.mockwebserver.http.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Both reconcilers in a real JOSDK Operator against the fabric8 CRUD mock API server. */
class FlowPlatformReconcilerTest {

  static MockCluster cluster;

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
  void createsAnOwnedFleetSizedFromThePeakAndReportsReadiness() {
    FlowPlatform platform = create(platform("create", 12));
    String uid = platform.getMetadata().getUid();

    Deployment workers = awaitDeployment("create-worker");
    assertThat(workers.getSpec().getReplicas()).isEqualTo(12);
    assertThat(awaitDeployment("create-app").getSpec().getReplicas()).isEqualTo(2);
    List<HasMetadata> children = Stream.<HasMetadata>of(
        get(ConfigMap.class, "create-runtime"), get(Service.class, "create-app"), get(Deployment.class, "create-app"),
        get(Deployment.class, "create-worker"), get(PodDisruptionBudget.class, "create-app"),
        get(PodDisruptionBudget.class, "create-worker")).toList();
    assertThat(children).allSatisfy(child -> {
      assertThat(child).isNotNull();
      // deleting the FlowPlatform lets Kubernetes' garbage collector remove the fleet
      assertThat(child.getMetadata().getOwnerReferences()).singleElement().satisfies(ref -> {
        assertThat(ref.getUid()).isEqualTo(uid);
        assertThat(ref.getController()).isTrue();
      });
    });

    FlowPlatform progressing = awaitStatus("create", p -> "Progressing".equals(readyReason(p)));
    assertThat(progressing.getStatus().getObservedGeneration()).isEqualTo(1L);
    assertThat(progressing.getStatus().getDesiredWorkers()).isEqualTo(12);
    assertThat(progressing.getStatus().getSlots()).isEqualTo(12);
    assertThat(progressing.getStatus().getWorkers()).isEqualTo("0/12");
    assertThat(progressing.getStatus().getApps()).isEqualTo("0/2");
    String transitionedAt = readyCondition(progressing).getLastTransitionTime();

    markReady("create-worker", 12);
    markReady("create-app", 2);
    FlowPlatform ready = awaitStatus("create", p -> "True".equals(readyStatus(p)));
    assertThat(ready.getStatus().getWorkers()).isEqualTo("12/12");
    assertThat(ready.getStatus().getApps()).isEqualTo("2/2");
    assertThat(readyCondition(ready).getReason()).isEqualTo(Reasons.READY);
    assertThat(readyCondition(ready).getLastTransitionTime()).isNotNull();
    assertThat(transitionedAt).isNotNull();
  }

  @Test
  void rescalesUpAndDownWhenThePeakChanges() {
    create(platform("scale", 12));
    await().until(() -> replicas("scale-worker"), r -> r != null && r == 12);

    edit("scale", p -> p.getSpec().setPeakConcurrentFlows(35));
    await().until(() -> replicas("scale-worker"), r -> r != null && r == 35);
    assertThat(replicas("scale-app")).isEqualTo(4);
    awaitStatus("scale", p -> p.getStatus().getObservedGeneration() == 2L && p.getStatus().getDesiredWorkers() == 35);

    edit("scale", p -> p.getSpec().setPeakConcurrentFlows(5));
    await().until(() -> replicas("scale-worker"), r -> r != null && r == 5);
    assertThat(replicas("scale-app")).isEqualTo(1);
    FlowPlatform scaled = awaitStatus("scale", p -> p.getStatus().getObservedGeneration() == 3L);
    assertThat(scaled.getStatus().getWorkers()).isEqualTo("0/5");
    assertThat(scaled.getSpec().getPeakConcurrentFlows()).as("the operator never writes the spec").isEqualTo(5);
  }

  @Test
  void thePreMigrationShapeKeepsTheSlotsAndSaysSo() {
    FlowPlatform platform = platform("legacy", 50);
    platform.getSpec().getExecution().setWorkerConcurrency(5);
    create(platform);
    await().until(() -> replicas("legacy-worker"), r -> r != null && r == 10);
    assertThat(replicas("legacy-app")).isEqualTo(5);
    FlowPlatform status = awaitStatus("legacy", p -> p.getStatus().getSlots() != null);
    assertThat(status.getStatus().getSlots()).isEqualTo(50);
    assertThat(status.getStatus().getDesiredWorkers()).isEqualTo(10);
    assertThat(status.getStatus().getMigration()).contains("10 workers x 5 = 50 slots");
  }

  @Test
  void badInputBecomesAStatusReasonAndOneWarningEventWithoutAFleet() {
    FlowPlatform platform = platform("elsewhere", 3);
    platform.getSpec().setRedis(new StoreRef("redis", "us-east-1"));
    create(platform);
    FlowPlatform invalid = awaitStatus("elsewhere", p -> "RegionMismatch".equals(readyReason(p)));
    assertThat(readyStatus(invalid)).isEqualTo("False");
    assertThat(readyCondition(invalid).getMessage()).contains("redis (spec.redis.region) is in us-east-1");
    await().until(() -> warnings("elsewhere", "RegionMismatch"), e -> e.size() == 1);
    assertThat(get(Deployment.class, "elsewhere-worker")).as("nothing applied for bad input").isNull();

    // an unrelated change re-runs the reconcile: same reason, so no second event and no status write
    int before = cluster.reconciliationsOf("elsewhere");
    edit("elsewhere", p -> p.getSpec().getLimits().setFlowTimeoutSeconds(300));
    await().until(() -> cluster.reconciliationsOf("elsewhere") > before);
    assertThat(warnings("elsewhere", "RegionMismatch")).hasSize(1);

    // fixing the spec applies the fleet
    edit("elsewhere", p -> p.getSpec().setRedis(new StoreRef("redis", "eu-west-1")));
    awaitDeployment("elsewhere-worker");
    awaitStatus("elsewhere", p -> "Progressing".equals(readyReason(p)));
  }

  @Test
  void aMissingSecretIsNamedInTheStatusAndAnEvent() {
    FlowPlatform platform = platform("nosecret", 2);
    platform.getSpec().getPostgres().setSecretName("not-there");
    create(platform);
    FlowPlatform invalid = awaitStatus("nosecret", p -> Reasons.SECRET_NOT_FOUND.equals(readyReason(p)));
    assertThat(readyCondition(invalid).getMessage()).contains("Secret not-there (spec.postgres.secretName) not found");
    await().until(() -> warnings("nosecret", Reasons.SECRET_NOT_FOUND), e -> e.size() == 1);
  }

  @Test
  void anUnknownExecutionModeAndTheDeadPreWarmVariableAreReported() {
    FlowPlatform platform = platform("oddmode", 2);
    platform.getSpec().getExecution().setMode("TURBO");
    platform.getSpec().getWorker().setEnv(List.of(
        new io.fabric8.kubernetes.api.model.EnvVarBuilder().withName("AP_PRE_WARM_CACHE").withValue("true").build()));
    create(platform);
    FlowPlatform invalid = awaitStatus("oddmode", p -> Reasons.UNKNOWN_EXECUTION_MODE.equals(readyReason(p)));
    assertThat(invalid.getStatus().getWarnings()).singleElement().asString().contains("AP_PRE_WARM_CACHE dropped");
    await().until(() -> warnings("oddmode", Reasons.DEAD_ENV_DROPPED), e -> e.size() == 1);
  }

  @Test
  void workerGroupsGetTheirOwnWorkersAndRoutesAndLoseThemWhenDeleted() {
    create(platform("tenants", 4));
    awaitDeployment("tenants-worker");
    WorkerGroup group = cluster.client.resources(WorkerGroup.class).inNamespace(NAMESPACE)
        .resource(group("premium", "tenants", 3, "acme", "globex")).create();

    Deployment groupWorkers = awaitDeployment("tenants-group-premium");
    assertThat(groupWorkers.getSpec().getReplicas()).isEqualTo(3);
    assertThat(groupWorkers.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv())
        .anySatisfy(e -> {
          assertThat(e.getName()).isEqualTo("AP_QUEUE_NAME");
          assertThat(e.getValue()).isEqualTo("premium");
        });
    assertThat(groupWorkers.getMetadata().getOwnerReferences()).singleElement()
        .satisfies(ref -> assertThat(ref.getUid()).isEqualTo(group.getMetadata().getUid()));
    assertThat(get(PodDisruptionBudget.class, "tenants-group-premium")).isNotNull();
    await().until(() -> routes("tenants"), "acme=premium,globex=premium"::equals);
    WorkerGroup status = await().until(() -> getGroup("premium"), g -> g.getStatus() != null
        && "Progressing".equals(ReadyCondition.find(g.getStatus().getConditions()).getReason()));
    assertThat(status.getStatus().getQueue()).isEqualTo("premium");
    assertThat(status.getStatus().getWorkers()).isEqualTo("0/3");

    // a code-only group is refused with a reason and an event
    WorkerGroup codeOnly = group("fast", "tenants", 2, "initech");
    codeOnly.getSpec().getExecution().setMode("SANDBOX_CODE_ONLY");
    cluster.client.resources(WorkerGroup.class).inNamespace(NAMESPACE).resource(codeOnly).create();
    await().until(() -> getGroup("fast"), g -> g.getStatus() != null
        && Reasons.CODE_ONLY_MODE_IN_WORKER_GROUP.equals(ReadyCondition.find(g.getStatus().getConditions()).getReason()));
    await().until(() -> warnings("fast", Reasons.CODE_ONLY_MODE_IN_WORKER_GROUP), e -> e.size() == 1);
    assertThat(get(Deployment.class, "tenants-group-fast")).isNull();
    assertThat(routes("tenants")).doesNotContain("initech");

    // deleting the group takes its routes out of the platform's ConfigMap
    cluster.client.resources(WorkerGroup.class).inNamespace(NAMESPACE).withName("premium").delete();
    await().until(() -> routes("tenants"), String::isEmpty);
    // the mock has no garbage collector: do its work, then check the operator does not bring the workers back
    collectGarbage();
    int before = cluster.reconciliationsOf("tenants");
    edit("tenants", p -> p.getSpec().getLimits().setMaxFileSizeMb(20));
    await().until(() -> cluster.reconciliationsOf("tenants") > before);
    assertThat(get(Deployment.class, "tenants-group-premium")).isNull();
  }

  @Test
  void aWorkerGroupOfAMissingPlatformSaysSoAndFollowsWhenItAppears() {
    cluster.client.resources(WorkerGroup.class).inNamespace(NAMESPACE)
        .resource(group("early", "late-platform", 2, "acme2")).create();
    await().until(() -> getGroup("early"), g -> g.getStatus() != null
        && Reasons.PLATFORM_NOT_FOUND.equals(ReadyCondition.find(g.getStatus().getConditions()).getReason()));
    create(platform("late-platform", 2));
    awaitDeployment("late-platform-group-early");
  }

  @Test
  void aWorkerGroupCannotMoveToAnotherPlatform() {
    create(platform("home", 2));
    create(platform("away", 2));
    cluster.client.resources(WorkerGroup.class).inNamespace(NAMESPACE)
        .resource(group("mover", "home", 1, "mover-project")).create();
    awaitDeployment("home-group-mover");
    retryOnConflict(() -> cluster.client.resources(WorkerGroup.class).inNamespace(NAMESPACE).withName("mover").edit(g -> {
      g.getSpec().getPlatformRef().setName("away");
      return g;
    }));
    WorkerGroup refused = await().until(() -> getGroup("mover"), g -> g.getStatus() != null
        && Reasons.PLATFORM_REF_CHANGED.equals(ReadyCondition.find(g.getStatus().getConditions()).getReason()));
    assertThat(ReadyCondition.find(refused.getStatus().getConditions()).getMessage()).contains("from home to away");
    assertThat(get(Deployment.class, "away-group-mover")).isNull();
    assertThat(routes("away")).doesNotContain("mover-project");
  }

  @Test
  void deletingThePlatformLeavesNothingTheOperatorRecreates() {
    create(platform("gone", 2));
    awaitDeployment("gone-worker");
    cluster.client.resources(FlowPlatform.class).inNamespace(NAMESPACE).withName("gone").delete();
    // (a null value never matches Awaitility's predicate form: poll a boolean instead)
    await().until(() -> get(FlowPlatform.class, "gone") == null);
    collectGarbage();
    assertThat(get(Deployment.class, "gone-worker")).isNull();
    assertThat(get(ConfigMap.class, "gone-runtime")).isNull();
  }

  /** Restarts the operator over a settled platform and group and expects reads only. */
  @Test
  void aReconcileThatChangesNothingWritesNothing() throws Exception {
    FlowPlatform platform = create(platform("steady", 3));
    WorkerGroup group = cluster.client.resources(WorkerGroup.class).inNamespace(NAMESPACE)
        .resource(group("steady-group", "steady", 1, "steady-project")).create();
    // settled: the group's workers applied and reported, its route in the platform's config, the apps rolled to it
    await().until(() -> getGroup("steady-group"), g -> g.getStatus() != null
        && "Progressing".equals(ReadyCondition.find(g.getStatus().getConditions()).getReason()));
    String hash = io.flowfleet.operator.desired.RuntimeConfig.hash(
        io.flowfleet.operator.desired.RuntimeConfig.data(platform, List.of(group)), true);
    await().until(() -> get(Deployment.class, "steady-app"), d -> d != null && hash.equals(d.getSpec().getTemplate()
        .getMetadata().getAnnotations().get(io.flowfleet.operator.desired.PodTemplates.CONFIG_HASH_ANNOTATION)));
    assertThat(routes("steady")).isEqualTo("steady-project=steady-group");
    awaitStatus("steady", p -> "Progressing".equals(readyReason(p)));

    cluster.operator.stop();
    cluster.drainRequests();
    int platformRuns = cluster.reconciliationsOf("steady");
    int groupRuns = cluster.reconciliationsOf("steady-group");
    cluster.startOperator();
    // a fresh operator reconciles every resource once on start
    await().atMost(Duration.ofSeconds(30)).until(() -> cluster.reconciliationsOf("steady") > platformRuns
        && cluster.reconciliationsOf("steady-group") > groupRuns);
    List<String> writes = cluster.drainRequests().stream()
        .map(r -> (RecordedRequest) r)
        .filter(r -> !"GET".equals(r.getMethod()))
        .filter(r -> r.getPath().contains("steady"))
        .map(r -> r.getMethod() + " " + r.getPath()).toList();
    assertThat(writes).isEmpty();
  }

  // --- helpers

  private static FlowPlatform create(FlowPlatform platform) {
    return cluster.client.resources(FlowPlatform.class).inNamespace(NAMESPACE).resource(platform).create();
  }

  private static void edit(String name, java.util.function.Consumer<FlowPlatform> change) {
    retryOnConflict(() -> cluster.client.resources(FlowPlatform.class).inNamespace(NAMESPACE).withName(name).edit(p -> {
      change.accept(p);
      return p;
    }));
  }

  /** A user's edit races the operator's status writes (optimistic locking): retry on 409 as kubectl edit would. */
  private static void retryOnConflict(Runnable edit) {
    await().ignoreException(io.fabric8.kubernetes.client.KubernetesClientException.class).until(() -> {
      edit.run();
      return true;
    });
  }

  private static <T extends HasMetadata> T get(Class<T> type, String name) {
    return cluster.client.resources(type).inNamespace(NAMESPACE).withName(name).get();
  }

  private static Deployment awaitDeployment(String name) {
    return await().until(() -> get(Deployment.class, name), Objects::nonNull);
  }

  private static Integer replicas(String deployment) {
    Deployment d = get(Deployment.class, deployment);
    return d == null ? null : d.getSpec().getReplicas();
  }

  private static String routes(String platform) {
    ConfigMap config = get(ConfigMap.class, platform + "-runtime");
    return config == null ? null : config.getData().get("AP_QUEUE_ROUTES");
  }

  private static WorkerGroup getGroup(String name) {
    return get(WorkerGroup.class, name);
  }

  private static FlowPlatform awaitStatus(String name, java.util.function.Predicate<FlowPlatform> condition) {
    return await().until(() -> get(FlowPlatform.class, name), p -> p != null && p.getStatus() != null && condition.test(p));
  }

  private static io.fabric8.kubernetes.api.model.Condition readyCondition(FlowPlatform p) {
    return ReadyCondition.find(p.getStatus().getConditions());
  }

  private static String readyReason(FlowPlatform p) {
    var c = readyCondition(p);
    return c == null ? null : c.getReason();
  }

  private static String readyStatus(FlowPlatform p) {
    var c = readyCondition(p);
    return c == null ? null : c.getStatus();
  }

  private static List<Event> warnings(String involved, String reason) {
    return cluster.client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
        .filter(e -> involved.equals(e.getInvolvedObject().getName()) && reason.equals(e.getReason())
            && "Warning".equals(e.getType()))
        .toList();
  }

  /** What the Deployment controller would report once every pod is up. */
  private static void markReady(String deployment, int replicas) {
    Deployment d = get(Deployment.class, deployment);
    d.setStatus(new DeploymentStatusBuilder().withReplicas(replicas).withReadyReplicas(replicas)
        .withUpdatedReplicas(replicas).withAvailableReplicas(replicas)
        .withObservedGeneration(d.getMetadata().getGeneration()).build());
    cluster.client.resource(d).updateStatus();
  }

  /** Kubernetes' garbage collector, which the mock lacks: delete children whose owner no longer exists. */
  private static void collectGarbage() {
    List<Class<? extends HasMetadata>> kinds = List.of(Deployment.class, ConfigMap.class, Service.class,
        PodDisruptionBudget.class);
    for (Class<? extends HasMetadata> kind : kinds) {
      for (HasMetadata child : cluster.client.resources(kind).inNamespace(NAMESPACE).list().getItems()) {
        var refs = child.getMetadata().getOwnerReferences();
        if (refs == null || refs.isEmpty()) {
          continue;
        }
        boolean ownerGone = refs.stream().allMatch(ref -> ("FlowPlatform".equals(ref.getKind())
            ? get(FlowPlatform.class, ref.getName()) : get(WorkerGroup.class, ref.getName())) == null);
        if (ownerGone) {
          cluster.client.resource(child).delete();
        }
      }
    }
  }
}
