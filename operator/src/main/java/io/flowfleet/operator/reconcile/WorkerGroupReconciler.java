package io.flowfleet.operator.reconcile;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.flowfleet.operator.api.FlowPlatform;
import io.flowfleet.operator.api.RoleSpec;
import io.flowfleet.operator.api.WorkerGroup;
import io.flowfleet.operator.api.WorkerGroupStatus;
import io.flowfleet.operator.desired.ExtraEnv;
import io.flowfleet.operator.metrics.OperatorMetrics;
import io.flowfleet.operator.desired.FleetLabels;
import io.flowfleet.operator.desired.SecretReferences;
import io.flowfleet.operator.desired.Sizing;
import io.flowfleet.operator.validation.Problem;
import io.flowfleet.operator.validation.Reasons;
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
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.PrimaryToSecondaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reconciles a WorkerGroup: observe (its FlowPlatform and sibling groups), validate (process sandbox, platform,
 * queue name, project conflicts), reconcile (its worker Deployment and PDB, only when valid), status.
 */
@ControllerConfiguration(name = WorkerGroupReconciler.NAME,
    generationAwareEventProcessing = false, informer = @Informer(onUpdateFilter = SpecOrPauseChanged.class),
    maxReconciliationInterval = @MaxReconciliationInterval(interval = 10, timeUnit = TimeUnit.MINUTES))
@Workflow(explicitInvocation = true, dependents = {
    @Dependent(name = WorkerGroupReconciler.GROUP_DEPLOYMENT, type = WorkerGroupDeploymentDependent.class),
    @Dependent(name = WorkerGroupReconciler.GROUP_PDB, type = WorkerGroupDisruptionBudgetDependent.class)})
public class WorkerGroupReconciler implements Reconciler<WorkerGroup> {

  public static final String NAME = "workergroup";
  static final String GROUP_DEPLOYMENT = "group-deployment";
  static final String GROUP_PDB = "group-pdb";
  static final String PLATFORMS = "platforms";
  static final String BY_PLATFORM = "byPlatform";
  static final String PLATFORM = "flowfleet.platform";
  static final String SECRETS = "secrets";
  static final String BY_SECRET = "bySecret";

  private final StatusReporter reporter;
  private final OperatorMetrics metrics;

  public WorkerGroupReconciler(EventRecorder events, Clock clock, OperatorMetrics metrics) {
    this.reporter = new StatusReporter(events, clock);
    this.metrics = metrics;
  }

  /**
   * A FlowPlatform's changes (creation, stores, images, status, deletion) re-run the reconcile of its groups, and so
   * do changes of the Secrets its workers read (matched by name through the platforms that reference them).
   */
  @Override
  public List<EventSource<?, WorkerGroup>> prepareEventSources(EventSourceContext<WorkerGroup> context) {
    metrics.track("WorkerGroup", context.getPrimaryCache());
    context.getPrimaryCache().addIndexer(BY_PLATFORM, group -> platformKey(group).map(List::of).orElse(List.of()));
    context.getPrimaryCache().addIndexer(BY_SECRET, group -> SecretReferences.group(group.getSpec(), null).stream()
        .map(name -> group.getMetadata().getNamespace() + "/" + name).toList());
    var config = InformerEventSourceConfiguration.from(FlowPlatform.class, WorkerGroup.class)
        .withName(PLATFORMS)
        .withPrimaryToSecondaryMapper((PrimaryToSecondaryMapper<WorkerGroup>) group -> platformKey(group)
            .map(k -> Set.of(new ResourceID(group.getSpec().getPlatformRef().getName(), group.getMetadata().getNamespace())))
            .orElse(Set.of()))
        .withSecondaryToPrimaryMapper((FlowPlatform platform) -> context.getPrimaryCache()
            .byIndex(BY_PLATFORM, platform.getMetadata().getNamespace() + "/" + platform.getMetadata().getName())
            .stream().map(ResourceID::fromResource).collect(Collectors.toSet()))
        .build();
    var platforms = new InformerEventSource<>(config, context);
    var secrets = InformerEventSourceConfiguration.from(Secret.class, WorkerGroup.class)
        .withName(SECRETS)
        .withItemStore(new DigestedSecretStore())
        .withPrimaryToSecondaryMapper((PrimaryToSecondaryMapper<WorkerGroup>) group -> platformKey(group)
            .filter(k -> platforms.isRunning())
            .flatMap(k -> platforms.get(new ResourceID(group.getSpec().getPlatformRef().getName(),
                group.getMetadata().getNamespace())))
            // every Secret of the platform (its validation is part of the group's), and the group's own env refs
            .map(platform -> Stream.concat(SecretReferences.platform(platform.getSpec()).stream(),
                    SecretReferences.group(group.getSpec(), platform.getSpec()).stream())
                .map(name -> new ResourceID(name, group.getMetadata().getNamespace())).collect(Collectors.toSet()))
            .orElse(Set.of()))
        .withSecondaryToPrimaryMapper((Secret secret) -> groupsReading(secret, platforms, context.getPrimaryCache()))
        .build();
    return List.of(platforms, new InformerEventSource<>(secrets, context));
  }

  /** The groups whose workers read {@code secret}: through their platform, or their own extra env. */
  private static Set<ResourceID> groupsReading(Secret secret, InformerEventSource<FlowPlatform, WorkerGroup> platforms,
      IndexerResourceCache<WorkerGroup> groups) {
    String key = secret.getMetadata().getNamespace() + "/" + secret.getMetadata().getName();
    Set<ResourceID> ids = new HashSet<>();
    groups.byIndex(BY_SECRET, key).forEach(group -> ids.add(ResourceID.fromResource(group)));
    if (!platforms.isRunning()) {
      return ids; // still starting: every group is reconciled once the informers run
    }
    platforms.list(secret.getMetadata().getNamespace(),
            platform -> SecretReferences.platform(platform.getSpec()).contains(secret.getMetadata().getName()))
        .flatMap(platform -> groups
            .byIndex(BY_PLATFORM, platform.getMetadata().getNamespace() + "/" + platform.getMetadata().getName()).stream())
        .map(ResourceID::fromResource).forEach(ids::add);
    return ids;
  }

  @Override
  public UpdateControl<WorkerGroup> reconcile(WorkerGroup group, Context<WorkerGroup> context) {
    // observe
    Optional<FlowPlatform> platform = context.getSecondaryResource(FlowPlatform.class);
    List<WorkerGroup> siblings = platformKey(group)
        .map(key -> context.getPrimaryCache().byIndex(BY_PLATFORM, key)).orElse(List.of());
    long generation = group.getMetadata().getGeneration() == null ? 0 : group.getMetadata().getGeneration();

    boolean paused = Paused.isPaused(group);

    // validate (the platform's Secrets come from the Secret informer's cache)
    List<Problem> problems = new ArrayList<>(paused ? List.of() : WorkerGroupValidator.validate(group, platform, siblings,
        CachedSecrets.of(context)));
    String appliedPlatform = context.getSecondaryResourcesAsStream(Deployment.class)
        .map(d -> d.getMetadata().getLabels().get(FleetLabels.INSTANCE)).filter(Objects::nonNull)
        .findFirst().orElse(null);
    if (!paused) {
      WorkerGroupValidator.platformRefChange(group, appliedPlatform).ifPresent(problems::addFirst);
    }

    // reconcile: only a valid, unpaused group is applied
    if (!paused && problems.isEmpty()) {
      context.managedWorkflowAndDependentResourceContext().put(PLATFORM, platform.orElseThrow());
      context.managedWorkflowAndDependentResourceContext().reconcileManagedWorkflow();
    }

    // status
    WorkerGroupStatus previous = group.getStatus();
    WorkerGroupStatus status = new WorkerGroupStatus();
    status.setObservedGeneration(generation);
    status.setQueue(group.getMetadata().getName());
    RoleSpec worker = group.getSpec() == null ? null : group.getSpec().getWorker();
    status.setWarnings(List.copyOf(ExtraEnv.warnings("spec.worker.env", worker == null ? null : worker.getEnv())));
    Sizing sizing = group.getSpec() != null && group.getSpec().getPeakConcurrentFlows() != null
        && group.getSpec().getPeakConcurrentFlows() >= 1
        && (group.getSpec().getExecution() == null || group.getSpec().getExecution().getWorkerConcurrency() == null
            || group.getSpec().getExecution().getWorkerConcurrency() >= 1) ? Sizing.of(group) : null;
    Optional<Deployment> workers = context.getSecondaryResource(Deployment.class, GROUP_DEPLOYMENT);
    StatusReporter.fillWorkers(status, sizing, workers, group.getSpec() == null || group.getSpec().getPlatformRef() == null
        ? Map.of() : FleetLabels.groupSelector(group, group.getSpec().getPlatformRef().getName()));
    if (paused) {
      reporter.setOutcome(status, previous, generation, FleetConditions.Outcome.paused(Paused.MESSAGE + "; "
          + status.getReadyWorkers() + " workers ready"));
    } else if (!problems.isEmpty()) {
      reporter.setProblems(status, previous, generation, problems);
    } else if (StatusReporter.rolledOutAndReady(workers, sizing.workers())) {
      reporter.setOutcome(status, previous, generation, FleetConditions.Outcome.ready(
          sizing.workers() + " workers (" + sizing.slots() + " slots) ready on queue " + status.getQueue()));
    } else {
      reporter.setOutcome(status, previous, generation, FleetConditions.Outcome.progressing(
          status.getReadyWorkers() + "/" + sizing.workers() + " workers ready, rollout in progress"));
    }
    reporter.recordEvents(group, previous, status, problems);

    return status.equals(previous) ? UpdateControl.noUpdate() : UpdateControl.patchStatus(statusOnly(group, status));
  }

  /** An API error while applying (not bad input, which never throws): say so in the status, keep JOSDK's retry. */
  @Override
  public ErrorStatusUpdateControl<WorkerGroup> updateErrorStatus(WorkerGroup resource, Context<WorkerGroup> context, Exception e) {
    WorkerGroupStatus previous = resource.getStatus();
    long generation = resource.getMetadata().getGeneration() == null ? 0 : resource.getMetadata().getGeneration();
    WorkerGroupStatus copy = previous == null ? null : context.getClient().getKubernetesSerialization().clone(previous);
    WorkerGroupStatus status = reporter.failed(copy, previous, generation, e, WorkerGroupStatus::new);
    reporter.recordEvents(resource, previous, status,
        List.of(new Problem(Reasons.APPLY_FAILED, ReadyCondition.find(status.getConditions()).getMessage())));
    return status.equals(previous) ? ErrorStatusUpdateControl.noStatusUpdate()
        : ErrorStatusUpdateControl.patchStatus(statusOnly(resource, status));
  }

  /** The group's FlowPlatform (set before the workflow runs, which happens only when it exists). */
  static FlowPlatform platform(Context<WorkerGroup> context) {
    return context.managedWorkflowAndDependentResourceContext().getMandatory(PLATFORM, FlowPlatform.class);
  }

  private static Optional<String> platformKey(WorkerGroup group) {
    if (group.getSpec() == null || group.getSpec().getPlatformRef() == null
        || group.getSpec().getPlatformRef().getName() == null) {
      return Optional.empty();
    }
    return Optional.of(group.getMetadata().getNamespace() + "/" + group.getSpec().getPlatformRef().getName());
  }

  static WorkerGroup statusOnly(WorkerGroup group, WorkerGroupStatus status) {
    WorkerGroup patch = new WorkerGroup();
    patch.setMetadata(new ObjectMetaBuilder().withName(group.getMetadata().getName())
        .withNamespace(group.getMetadata().getNamespace()).build());
    patch.setSpec(null);
    patch.setStatus(status);
    return patch;
  }
}
