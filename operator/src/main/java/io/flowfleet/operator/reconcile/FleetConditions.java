package io.flowfleet.operator.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The three conditions GitOps tools read, after Kubernetes conventions and kstatus (Flux): {@code Ready} (every
 * desired pod runs the current template and is ready), {@code Reconciling} (True while a rollout or resize is in
 * progress) and {@code Stalled} (True when the operator cannot go on without a change from the user: the reason
 * names what). Each carries the observed generation; lastTransitionTime moves only when its status flips.
 */
public final class FleetConditions {

  public static final String READY = ReadyCondition.TYPE;
  public static final String RECONCILING = "Reconciling";
  public static final String STALLED = "Stalled";
  private static final Set<String> OURS = Set.of(READY, RECONCILING, STALLED);

  private FleetConditions() {}

  /** What one reconcile concluded; {@link #conditions} turns it into the three conditions. */
  public record Outcome(boolean ready, boolean reconciling, boolean stalled, String reason, String message) {

    /** Rolled out: every desired pod is ready. */
    public static Outcome ready(String message) {
      return new Outcome(true, false, false, io.flowfleet.operator.validation.Reasons.READY, message);
    }

    /** Applied, pods still rolling out or resizing. */
    public static Outcome progressing(String message) {
      return new Outcome(false, true, false, io.flowfleet.operator.validation.Reasons.PROGRESSING, message);
    }

    /** Blocked until the user changes something (the spec, a Secret, a quota): {@code reason} says what. */
    public static Outcome stalled(String reason, String message) {
      return new Outcome(false, false, true, reason, message);
    }

    /**
     * Paused by annotation: nothing is applied, so nothing is claimed to be current (Ready=False) and nothing
     * progresses or blocks; the reason Paused is what Argo CD's health check shows as Suspended.
     */
    public static Outcome paused(String message) {
      return new Outcome(false, false, false, io.flowfleet.operator.validation.Reasons.PAUSED, message);
    }
  }

  /** {@code previous} with Ready, Reconciling and Stalled set from {@code outcome}; other condition types are kept. */
  public static List<Condition> conditions(List<Condition> previous, Outcome outcome, long generation, Instant now) {
    List<Condition> conditions = new ArrayList<>();
    conditions.add(condition(previous, READY, outcome.ready(), outcome.reason(), outcome.message(), generation, now));
    conditions.add(condition(previous, RECONCILING, outcome.reconciling(), outcome.reason(),
        outcome.reconciling() ? outcome.message() : "no rollout in progress", generation, now));
    conditions.add(condition(previous, STALLED, outcome.stalled(), outcome.reason(),
        outcome.stalled() ? outcome.message() : "nothing blocks the reconcile", generation, now));
    if (previous != null) {
      previous.stream().filter(c -> !OURS.contains(c.getType())).forEach(conditions::add);
    }
    return conditions;
  }

  /** One condition; its lastTransitionTime is kept from {@code previous} unless the status flips. */
  static Condition condition(List<Condition> previous, String type, boolean value, String reason, String message,
      long generation, Instant now) {
    String status = value ? "True" : "False";
    Condition old = find(previous, type);
    String transition = old != null && status.equals(old.getStatus()) && old.getLastTransitionTime() != null
        ? old.getLastTransitionTime() : now.truncatedTo(ChronoUnit.SECONDS).toString();
    return new ConditionBuilder()
        .withType(type)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(generation)
        .withLastTransitionTime(transition)
        .build();
  }

  public static Condition find(List<Condition> conditions, String type) {
    return conditions == null ? null : conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
  }

  public static boolean isTrue(List<Condition> conditions, String type) {
    Condition c = find(conditions, type);
    return c != null && "True".equals(c.getStatus());
  }
}
