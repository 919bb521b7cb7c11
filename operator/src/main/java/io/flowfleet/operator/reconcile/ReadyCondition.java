package io.flowfleet.operator.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/** The Ready condition after Kubernetes conventions: lastTransitionTime moves only when the status flips. */
public final class ReadyCondition {

  public static final String TYPE = "Ready";

  private ReadyCondition() {}

  /** {@code previous} with its Ready condition replaced; other condition types are kept as they are. */
  public static List<Condition> set(List<Condition> previous, boolean ready, String reason, String message,
      long observedGeneration, Instant now) {
    String status = ready ? "True" : "False";
    Condition old = find(previous);
    String transition = old != null && status.equals(old.getStatus()) && old.getLastTransitionTime() != null
        ? old.getLastTransitionTime() : now.truncatedTo(ChronoUnit.SECONDS).toString();
    List<Condition> conditions = new ArrayList<>();
    if (previous != null) {
      previous.stream().filter(c -> !TYPE.equals(c.getType())).forEach(conditions::add);
    }
    conditions.add(new ConditionBuilder()
        .withType(TYPE)
        .withStatus(status)
        .withReason(reason)
        .withMessage(message)
        .withObservedGeneration(observedGeneration)
        .withLastTransitionTime(transition)
        .build());
    return conditions;
  }

  public static Condition find(List<Condition> conditions) {
    if (conditions == null) {
      return null;
    }
    return conditions.stream().filter(c -> TYPE.equals(c.getType())).findFirst().orElse(null);
  }
}
