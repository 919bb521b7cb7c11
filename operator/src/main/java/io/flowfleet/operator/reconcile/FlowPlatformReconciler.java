package io.flowfleet.operator.reconcile;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.flowfleet.operator.api.FlowPlatform;
import io.flowfleet.operator.api.FlowPlatformSpec;
import io.flowfleet.operator.api.FlowPlatformStatus;
import io.flowfleet.operator.api.WorkerGroup;
import io.flowfleet.operator.desired.ExtraEnv;
import io.flowfleet.operator.desired.FleetLabels;
import io.flowfleet.operator.metrics.OperatorMetrics;
import io.flowfleet.operator.desired.SecretReferences;
import io.flowfleet.operator.desired.Sizing;
import io.flowfleet.operator.validation.PlatformValidator;
import io.flowfleet.operator.validation.Problem;
import io.flowfleet.operator.validation.Reasons;
import io.flowfleet.operator.validation.SecretLookup;
import io.flowfleet.operator.validation.WorkerGroupValidator;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.ControllerConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.ErrorStatusUpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.api.reconciler.MaxReconciliationInterval;
import io.javaoperatorsdk.operator.api.reconciler.Reconciler;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.javaoperatorsdk.operator.api.reconciler.Workflow;
import io.javaoperatorsdk.operator.api.reconciler.dependent.Dependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Reconciles a FlowPlatform, top to bottom: observe (its WorkerGroups and Deployments from the informer caches),
 * validate (spec and referenced Secrets), reconcile (the dependents, only when valid: bad input never tears a
 * running fleet down), status (written only when it changed).
 */
@ControllerConfiguration(name = FlowPlatformReconciler.NAME,
    generationAwareEventProcessing = false, informer = @Informer(onUpdateFilter = SpecOrPauseChanged.class),
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
@Workflow(explicitInvocation = true, dependents = {
    @Dependent(name = FlowPlatformReconciler.RUNTIME_CONFIG, type = RuntimeConfigMapDependent.class),
    @Dependent(name = FlowPlatformReconciler.APP_SERVICE, type = AppServiceDependent.class),
    @Dependent(name = FlowPlatformReconciler.APP_DEPLOYMENT, type = AppDeploymentDependent.class,
        dependsOn = FlowPlatformReconciler.RUNTIME_CONFIG),
    @Dependent(name = FlowPlatformReconciler.APP_PDB, type = AppDisruptionBudgetDependent.class),
    @Dependent(name = FlowPlatformReconciler.WORKER_DEPLOYMENT, type = WorkerDeploymentDependent.class,
        dependsOn = FlowPlatformReconciler.RUNTIME_CONFIG),
    @Dependent(name = FlowPlatformReconciler.WORKER_PDB, type = WorkerDisruptionBudgetDependent.class)})
public class FlowPlatformReconciler implements Reconciler<FlowPlatform> {

  public static final String NAME = "flowplatform";
  static final String RUNTIME_CONFIG = "runtime-config";
  static final String APP_SERVICE = "app-service";
  static final String APP_DEPLOYMENT = "app-deployment";
  static final String APP_PDB = "app-pdb";
  static final String WORKER_DEPLOYMENT = "worker-deployment";
  static final String WORKER_PDB = "worker-pdb";
  static final String WORKER_GROUPS = "worker-groups";
  static final String SECRETS = "secrets";
  static final String BY_SECRET = "bySecret";
  static final String ROUTED_GROUPS = "flowfleet.routedGroups";

  private static final SecretLookup SPEC_ONLY = (ns, name) -> SecretLookup.Result.unknown();
  private final StatusReporter reporter;
  private final OperatorMetrics metrics;

  public FlowPlatformReconciler(EventRecorder events, java.time.Clock clock, OperatorMetrics metrics) {
    this.reporter = new StatusReporter(events, clock);
    this.metrics = metrics;
  }

  /**
   * WorkerGroup changes re-run their platform's reconcile (the queue routes live in its ConfigMap). Changes of a
   * referenced Secret do too (created, deleted, rotated), matched by name: Secrets carry no label of ours.
   */
  @Override
  public List<EventSource<?, FlowPlatform>> prepareEventSources(EventSourceContext<FlowPlatform> context) {
    metrics.track("FlowPlatform", context.getPrimaryCache());
    context.getPrimaryCache().addIndexer(BY_SECRET, platform -> SecretReferences.platform(platform.getSpec()).stream()
        .map(name -> platform.getMetadata().getNamespace() + "/" + name).toList());
    var secrets = InformerEventSourceConfiguration.from(Secret.class, FlowPlatform.class)
        .withName(SECRETS)
        .withItemStore(new DigestedSecretStore())
        .withPrimaryToSecondaryMapper((FlowPlatform platform) -> SecretReferences.platform(platform.getSpec()).stream()
            .map(name -> new ResourceID(name, platform.getMetadata().getNamespace())).collect(Collectors.toSet()))
        .withSecondaryToPrimaryMapper((Secret secret) -> context.getPrimaryCache()
            .byIndex(BY_SECRET, secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName())
            .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
        .build();
    var config = InformerEventSourceConfiguration.from(WorkerGroup.class, FlowPlatform.class)
        .withName(WORKER_GROUPS)
        .withSecondaryToPrimaryMapper((WorkerGroup group) -> group.getSpec() == null
            || group.getSpec().getPlatformRef() == null || group.getSpec().getPlatformRef().getName() == null
            ? Set.of()
            : Set.of(new ResourceID(group.getSpec().getPlatformRef().getName(), group.getMetadata().getNamespace())))
        .build();
    return List.of(new InformerEventSource<>(config, context), new InformerEventSource<>(secrets, context));
  }

  @Override
  public UpdateControl<FlowPlatform> reconcile(FlowPlatform platform, Context<FlowPlatform> context) {
    // observe
    List<WorkerGroup> groups = context.getSecondaryResourcesAsStream(WorkerGroup.class)
        .sorted(Comparator.comparing(g -> g.getMetadata().getName())).toList();
    long generation = platform.getMetadata().getGeneration() == null ? 0 : platform.getMetadata().getGeneration();
    boolean paused = Paused.isPaused(platform);

    // validate (the referenced Secrets come from the Secret informer's cache)
    List<Problem> problems = paused ? List.of() : PlatformValidator.validate(platform, CachedSecrets.of(context));

    // reconcile: only a valid, unpaused platform is applied; bad input never tears a running fleet down
    if (!paused && problems.isEmpty()) {
      List<WorkerGroup> routed = groups.stream()
          .filter(g -> WorkerGroupValidator.validate(g, Optional.of(platform), groups, SPEC_ONLY).isEmpty())
          .filter(FlowPlatformReconciler::workersApplied)
          .toList();
      context.managedWorkflowAndDependentResourceContext().put(ROUTED_GROUPS, routed);
      context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    }

    // status
    FlowPlatformStatus previous = platform.getStatus();
    FlowPlatformStatus status = new FlowPlatformStatus();
    status.setObservedGeneration(generation);
    status.setWarnings(ExtraEnv.warnings(platform.getSpec()));
    Sizing sizing = sizing(platform.getSpec());
    Optional<Deployment> apps = context.getSecondaryResource(Deployment.class, APP_DEPLOYMENT);
    Optional<Deployment> workers = context.getSecondaryResource(Deployment.class, WORKER_DEPLOYMENT);
    StatusReporter.fillWorkers(status, sizing, workers, FleetLabels.selector(platform, FleetLabels.COMPONENT_WORKER));
    int readyApps = StatusReporter.readyReplicas(apps);
    status.setReadyApps(readyApps);
    if (sizing != null) {
      status.setDesiredApps(sizing.apps());
      status.setApps(readyApps + "/" + sizing.apps());
    }
    if (paused) {
      reporter.setOutcome(status, previous, generation, FleetConditions.Outcome.paused(Paused.MESSAGE + "; "
          + status.getReadyWorkers() + " workers and " + readyApps + " apps ready"));
    } else if (!problems.isEmpty()) {
      reporter.setProblems(status, previous, generation, problems);
    } else if (StatusReporter.rolledOutAndReady(workers, sizing.workers())
        && StatusReporter.rolledOutAndReady(apps, sizing.apps())) {
      reporter.setOutcome(status, previous, generation, FleetConditions.Outcome.ready(
          sizing.workers() + " workers (" + sizing.slots() + " slots) and " + sizing.apps() + " apps ready"));
    } else {
      reporter.setOutcome(status, previous, generation, FleetConditions.Outcome.progressing(
          status.getReadyWorkers() + "/" + sizing.workers() + " workers and " + readyApps + "/" + sizing.apps()
              + " apps ready, rollout in progress"));
    }
    reporter.recordEvents(platform, previous, status, problems);

    return status.equals(previous) ? UpdateControl.noUpdate() : UpdateControl.patchStatus(statusOnly(platform, status));
  }

  /**
   * Route a group's projects only once its own reconcile applied its workers for this spec (its status says so):
   * a route to a queue nobody serves would strand those projects' runs. The group's status change re-runs this.
   */
  static boolean workersApplied(WorkerGroup group) {
    if (group.getStatus() == null || group.getStatus().getObservedGeneration() == null
        || !group.getStatus().getObservedGeneration().equals(group.getMetadata().getGeneration())) {
      return false;
    }
    var ready = ReadyCondition.find(group.getStatus().getConditions());
    return ready != null && (Reasons.READY.equals(ready.getReason()) || Reasons.PROGRESSING.equals(ready.getReason()));
  }

  /** An API error while applying (not bad input, which never throws): say so in the status, keep JOSDK's retry. */
  @Override
  public ErrorStatusUpdateControl<FlowPlatform> updateErrorStatus(FlowPlatform resource, Context<FlowPlatform> context, Exception e) {
    FlowPlatformStatus previous = resource.getStatus();
    long generation = resource.getMetadata().getGeneration() == null ? 0 : resource.getMetadata().getGeneration();
    FlowPlatformStatus copy = previous == null ? null : context.getClient().getKubernetesSerialization().clone(previous);
    FlowPlatformStatus status = reporter.failed(copy, previous, generation, e, FlowPlatformStatus::new);
    reporter.recordEvents(resource, previous, status,
        List.of(new Problem(Reasons.APPLY_FAILED, ReadyCondition.find(status.getConditions()).getMessage())));
    return status.equals(previous) ? ErrorStatusUpdateControl.noStatusUpdate()
        : ErrorStatusUpdateControl.patchStatus(statusOnly(resource, status));
  }

  /** The groups whose projects the platform's apps route to their queues (set before the workflow runs). */
  @SuppressWarnings("unchecked")
  static List<WorkerGroup> routedGroups(Context<FlowPlatform> context) {
    return context.managedWorkflowAndDependentResourceContext().getMandatory(ROUTED_GROUPS, List.class);
  }

  private static Sizing sizing(FlowPlatformSpec spec) {
    if (spec == null || spec.getPeakConcurrentFlows() == null || spec.getPeakConcurrentFlows() < 1) {
      return null;
    }
    Integer concurrency = spec.getExecution() == null ? null : spec.getExecution().getWorkerConcurrency();
    return concurrency != null && concurrency < 1 ? null : Sizing.of(spec.getPeakConcurrentFlows(),
        concurrency == null ? 1 : concurrency);
  }

  /** Only name, namespace and status: a status patch must never carry (and with SSA, claim) the spec. */
  static FlowPlatform statusOnly(FlowPlatform platform, FlowPlatformStatus status) {
    FlowPlatform patch = new FlowPlatform();
    patch.setMetadata(new ObjectMetaBuilder().withName(platform.getMetadata().getName())
        .withNamespace(platform.getMetadata().getNamespace()).build());
    patch.setSpec(null);
    patch.setStatus(status);
    return patch;
  }
}
