package io.flowfleet.operator.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.flowfleet.operator.api.FleetStatus;
import io.flowfleet.operator.desired.Sizing;
import io.flowfleet.operator.validation.Problem;
import io.flowfleet.operator.validation.Reasons;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fills the status both kinds share and records Warning events, only when a reason appears or changes (an
 * unchanged bad input is reported once, not on every reconcile).
 */
final class StatusReporter {

  private static final Logger LOG = LoggerFactory.getLogger(StatusReporter.class);

  private final EventRecorder events;
  private final Clock clock;

  StatusReporter(EventRecorder events, Clock clock) {
    this.events = events;
    this.clock = clock;
  }

  /**
   * Worker counts, slots and the scale subresource's fields; {@code sizing} is null when the spec is too broken to
   * size, {@code selector} the worker pods' labels.
   */
  static void fillWorkers(FleetStatus status, Sizing sizing, Optional<Deployment> workers, Map<String, String> selector) {
    int ready = readyReplicas(workers);
    status.setReadyWorkers(ready);
    status.setSelector(selector.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(",")));
    if (sizing != null) {
      status.setDesiredWorkers(sizing.workers());
      status.setSlots(sizing.slots());
      status.setReadySlots(ready * sizing.workerConcurrency());
      status.setWorkers(ready + "/" + sizing.workers());
      status.setMigration(sizing.migrationNote());
    }
  }

  static int readyReplicas(Optional<Deployment> deployment) {
    return deployment.map(Deployment::getStatus).map(s -> s.getReadyReplicas()).filter(Objects::nonNull).orElse(0);
  }

  /** Ready only when the rollout finished too: every replica runs the current template and is ready. */
  static boolean rolledOutAndReady(Optional<Deployment> deployment, int desired) {
    if (deployment.isEmpty() || deployment.get().getStatus() == null) {
      return false;
    }
    var status = deployment.get().getStatus();
    Long generation = deployment.get().getMetadata().getGeneration();
    boolean observed = generation == null || status.getObservedGeneration() == null
        || status.getObservedGeneration() >= generation;
    return observed && Objects.requireNonNullElse(status.getUpdatedReplicas(), 0) >= desired
        && Objects.requireNonNullElse(status.getReadyReplicas(), 0) >= desired;
  }

  /** Sets Ready, Reconciling and Stalled from what this reconcile concluded. */
  void setOutcome(FleetStatus status, FleetStatus previous, long generation, FleetConditions.Outcome outcome) {
    status.setConditions(FleetConditions.conditions(previous == null ? null : previous.getConditions(), outcome,
        generation, clock.instant()));
  }

  /** Known bad input: the user has to change something, so Stalled with the first reason and every message. */
  void setProblems(FleetStatus status, FleetStatus previous, long generation, List<Problem> problems) {
    String message = problems.size() == 1 ? problems.getFirst().message()
        : problems.stream().map(Problem::toString).collect(Collectors.joining("; "));
    setOutcome(status, previous, generation, FleetConditions.Outcome.stalled(problems.getFirst().reason(), message));
  }

  /**
   * The status after a failed apply: the previous counts, Ready=False and Stalled=True with reason ApplyFailed and
   * the API server's answer (a quota, an admission webhook, missing RBAC: someone has to act), so `kubectl get`
   * and GitOps tools show why the fleet is not there while JOSDK retries with backoff.
   */
  <S extends FleetStatus> S failed(S copyOfPrevious, S previous, long generation, Exception e, java.util.function.Supplier<S> fresh) {
    S status = copyOfPrevious != null ? copyOfPrevious : fresh.get();
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message = "applying the fleet failed, retrying with backoff: " + Objects.requireNonNullElse(cause.getMessage(),
        cause.getClass().getSimpleName());
    if (message.length() > 1024) {
      message = message.substring(0, 1024) + "...";
    }
    status.setObservedGeneration(generation);
    setOutcome(status, previous, generation, FleetConditions.Outcome.stalled(Reasons.APPLY_FAILED, message));
    return status;
  }

  /** Warning events for what is new in {@code next} compared with {@code previous}. */
  void recordEvents(HasMetadata resource, FleetStatus previous, FleetStatus next, List<Problem> problems) {
    Condition before = previous == null ? null : ReadyCondition.find(previous.getConditions());
    Condition after = ReadyCondition.find(next.getConditions());
    boolean changed = before == null || !Objects.equals(before.getReason(), after.getReason())
        || !Objects.equals(before.getMessage(), after.getMessage());
    if (changed) {
      LOG.info("{} {}/{}: Ready={} {}: {}", resource.getKind(), resource.getMetadata().getNamespace(),
          resource.getMetadata().getName(), after.getStatus(), after.getReason(), after.getMessage());
    }
    if (!problems.isEmpty() && changed) {
      problems.forEach(p -> events.warning(resource, p.reason(), p.message()));
    }
    List<String> knownWarnings = previous == null || previous.getWarnings() == null ? List.of() : previous.getWarnings();
    next.getWarnings().stream().filter(w -> !knownWarnings.contains(w))
        .forEach(w -> events.warning(resource, Reasons.DEAD_ENV_DROPPED, w));
  }
}
