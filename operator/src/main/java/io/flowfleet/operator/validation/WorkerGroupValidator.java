package io.flowfleet.operator.validation;

import io.flowfleet.contract.RuntimeSettings;
import io.flowfleet.operator.api.ExecutionMode;
import io.flowfleet.operator.api.FlowPlatform;
import io.flowfleet.operator.api.WorkerGroup;
import io.flowfleet.operator.api.WorkerGroupSpec;
import io.flowfleet.operator.desired.FleetNames;
import io.flowfleet.operator.desired.RuntimeConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Checks a WorkerGroup against the seed's rules and its FlowPlatform. An empty list means valid. */
public final class WorkerGroupValidator {

  private WorkerGroupValidator() {}

  /**
   * @param platform the FlowPlatform named by spec.platformRef, if it exists
   * @param siblings the other WorkerGroups of the same platform (for project conflicts)
   */
  public static List<Problem> validate(WorkerGroup group, Optional<FlowPlatform> platform,
      Collection<WorkerGroup> siblings, SecretLookup secrets) {
    WorkerGroupSpec spec = group.getSpec();
    if (spec == null || spec.getPlatformRef() == null || PlatformValidator.blank(spec.getPlatformRef().getName())
        || spec.getPeakConcurrentFlows() == null || spec.getProjects() == null || spec.getProjects().isEmpty()) {
      return List.of(new Problem(Reasons.INVALID_SPEC, "a WorkerGroup needs spec.platformRef.name, "
          + "spec.peakConcurrentFlows (at least 1) and spec.projects (at least one project id)"));
    }
    List<Problem> problems = new ArrayList<>();
    if (spec.getPeakConcurrentFlows() < 1) {
      problems.add(new Problem(Reasons.INVALID_SPEC, "spec.peakConcurrentFlows is " + spec.getPeakConcurrentFlows()
          + ": it must be at least 1"));
    }
    if (spec.getExecution() != null && spec.getExecution().getWorkerConcurrency() != null
        && spec.getExecution().getWorkerConcurrency() < 1) {
      problems.add(new Problem(Reasons.INVALID_SPEC, "spec.execution.workerConcurrency must be at least 1"));
    }
    if (RuntimeConfig.DEFAULT_QUEUE.equals(group.getMetadata().getName())) {
      problems.add(new Problem(Reasons.QUEUE_NAME_RESERVED, "a WorkerGroup's name is its queue name, and 'default' "
          + "is the platform's own queue: recreate the group under another name"));
    }
    mode(spec, problems);
    if (spec.getExecution() != null && spec.getExecution().getWorkerConcurrency() != null
        && spec.getExecution().getWorkerConcurrency() >= 1) {
      ContractChecks.range("spec.execution.workerConcurrency", RuntimeSettings.WORKER_CONCURRENCY,
          spec.getExecution().getWorkerConcurrency(), problems);
    }
    ContractChecks.env("spec.worker.env", spec.getWorker() == null ? null : spec.getWorker().getEnv(), problems);
    String name = group.getMetadata().getName();
    String deployment = FleetNames.workerGroup(spec.getPlatformRef().getName(), name);
    if (deployment.length() > 63) {
      problems.add(new Problem(Reasons.INVALID_SPEC, "the group's Deployment name " + deployment + " would have "
          + deployment.length() + " characters (at most 63: it is a label value): give the WorkerGroup a shorter name"));
    }
    List<String> taken = siblings.stream()
        .filter(s -> !s.getMetadata().getName().equals(name) && s.getMetadata().getName().compareTo(name) < 0)
        .filter(s -> s.getSpec() != null && s.getSpec().getProjects() != null)
        .flatMap(s -> s.getSpec().getProjects().stream().filter(spec.getProjects()::contains)
            .map(p -> p + " (WorkerGroup " + s.getMetadata().getName() + ")"))
        .toList();
    if (!taken.isEmpty()) {
      problems.add(new Problem(Reasons.PROJECT_CONFLICT, "project(s) already routed to another group: "
          + String.join(", ", taken) + ". A project runs on one queue: remove it from one of the groups"));
    }
    if (platform.isEmpty()) {
      problems.add(new Problem(Reasons.PLATFORM_NOT_FOUND, "FlowPlatform " + spec.getPlatformRef().getName()
          + " (spec.platformRef.name) not found in namespace " + group.getMetadata().getNamespace()
          + ": create it first, or fix the name"));
    } else {
      List<Problem> platformProblems = PlatformValidator.validate(platform.get(), secrets);
      if (!platformProblems.isEmpty()) {
        problems.add(new Problem(Reasons.PLATFORM_INVALID, "FlowPlatform " + spec.getPlatformRef().getName()
            + " is not valid, fix it first: " + platformProblems.stream().map(Problem::toString)
            .collect(Collectors.joining("; "))));
      }
    }
    return problems;
  }

  private static void mode(WorkerGroupSpec spec, List<Problem> problems) {
    String mode = spec.getExecution() == null ? null : spec.getExecution().getMode();
    if (mode == null) {
      return;
    }
    Optional<ExecutionMode> parsed = ExecutionMode.parse(mode);
    if (parsed.isEmpty()) {
      problems.add(new Problem(Reasons.UNKNOWN_EXECUTION_MODE, "spec.execution.mode '" + mode + "' is unknown"
          + ContractChecks.unsupportedMode(mode) + ": worker groups run SANDBOX_PROCESS (the default); remove the "
          + "field or set it to SANDBOX_PROCESS"));
    } else if (parsed.get() == ExecutionMode.SANDBOX_CODE_ONLY) {
      problems.add(new Problem(Reasons.CODE_ONLY_MODE_IN_WORKER_GROUP, "spec.execution.mode SANDBOX_CODE_ONLY is "
          + "refused for worker groups: a group isolates tenants, which needs the engine in its own process. Set "
          + "spec.execution.mode to SANDBOX_PROCESS (the default)"));
    }
  }

  /**
   * A group's workers belong to one platform (their Deployment is named and labelled after it): a changed
   * spec.platformRef is refused rather than leaving the old workers behind. {@code appliedPlatform} is the platform
   * of the group's existing workers, null when none exist.
   */
  public static Optional<Problem> platformRefChange(WorkerGroup group, String appliedPlatform) {
    if (appliedPlatform == null || group.getSpec() == null || group.getSpec().getPlatformRef() == null
        || appliedPlatform.equals(group.getSpec().getPlatformRef().getName())) {
      return Optional.empty();
    }
    return Optional.of(new Problem(Reasons.PLATFORM_REF_CHANGED, "spec.platformRef changed from " + appliedPlatform
        + " to " + group.getSpec().getPlatformRef().getName() + ": a group's workers belong to one platform. Set it "
        + "back to " + appliedPlatform + ", or delete the WorkerGroup and create it again for the other platform"));
  }
}
