package io.flowfleet.operator.reconcile;

import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** The Ready condition, the one `kubectl get` shows (set with Reconciling and Stalled by {@link FleetConditions}). */
public final class ReadyCondition {

  public static final String TYPE = "Ready";

  private ReadyCondition() {}

  public static Condition find(List<Condition> conditions) {
    return FleetConditions.find(conditions, TYPE);
  }
}
