package io.flowfleet.operator.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The Ready condition after Kubernetes conventions: lastTransitionTime moves only when the status flips. */
public final class ReadyCondition {

  public static final String TYPE = "Ready";

  private ReadyCondition() {}

  /** {@code previous} with its Ready condition replaced; other condition types are kept as they are. */
  public static List<Condition> set(List<Condition> previous, boolean ready, String reason, String message,
      long observedGeneration, Instant now) {
    List<Condition> conditions = new ArrayList<>();
    if (previous != null) {
      previous.stream().filter(c -> !TYPE.equals(c.getType())).forEach(conditions::add);
    }
    conditions.add(FleetConditions.condition(previous, TYPE, ready, reason, message, observedGeneration, now));
    return conditions;
  }

  public static Condition find(List<Condition> conditions) {
    return FleetConditions.find(conditions, TYPE);
  }
}
