package io.flowfleet.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import io.flowfleet.operator.reconcile.FleetConditions.Outcome;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Ready, Reconciling and Stalled from one outcome; each condition's lastTransitionTime moves only when it flips. */
class FleetConditionsTest {

  static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");
  static final Instant T1 = Instant.parse("2026-12-01T10:05:00Z");
  static final Instant T2 = Instant.parse("2026-12-01T10:09:00Z");

  @Test
  void eachConditionKeepsItsOwnTransitionTime() {
    List<Condition> progressing = FleetConditions.conditions(null, Outcome.progressing("0/2 workers"), 1, T0);
    assertThat(progressing).extracting(Condition::getType).containsExactly("Ready", "Reconciling", "Stalled");
    assertThat(progressing).extracting(Condition::getStatus).containsExactly("False", "True", "False");
    assertThat(progressing).allSatisfy(c -> {
      assertThat(c.getReason()).isEqualTo("Progressing");
      assertThat(c.getObservedGeneration()).isEqualTo(1L);
      assertThat(c.getLastTransitionTime()).isEqualTo("2026-12-01T10:00:00Z");
    });

    List<Condition> stalled = FleetConditions.conditions(progressing, Outcome.stalled("SecretNotFound", "pg gone"), 2, T1);
    assertThat(stalled).extracting(Condition::getStatus).containsExactly("False", "False", "True");
    assertThat(time(stalled, "Ready")).as("False -> False").isEqualTo("2026-12-01T10:00:00Z");
    assertThat(time(stalled, "Reconciling")).as("True -> False").isEqualTo("2026-12-01T10:05:00Z");
    assertThat(time(stalled, "Stalled")).as("False -> True").isEqualTo("2026-12-01T10:05:00Z");
    assertThat(FleetConditions.find(stalled, "Stalled").getMessage()).isEqualTo("pg gone");
    assertThat(stalled).allSatisfy(c -> assertThat(c.getObservedGeneration()).isEqualTo(2L));

    List<Condition> ready = FleetConditions.conditions(stalled, Outcome.ready("2 workers ready"), 2, T2);
    assertThat(ready).extracting(Condition::getStatus).containsExactly("True", "False", "False");
    assertThat(time(ready, "Ready")).isEqualTo("2026-12-01T10:09:00Z");
    assertThat(time(ready, "Reconciling")).as("False -> False").isEqualTo("2026-12-01T10:05:00Z");
  }

  @Test
  void pausedIsNeitherReadyNorReconcilingNorStalledAndOtherTypesAreKept() {
    Condition other = new ConditionBuilder().withType("Custom").withStatus("True").build();
    List<Condition> paused = FleetConditions.conditions(List.of(other), Outcome.paused("paused"), 3, T0);
    assertThat(paused).extracting(Condition::getType).containsExactly("Ready", "Reconciling", "Stalled", "Custom");
    assertThat(paused.subList(0, 3)).allSatisfy(c -> {
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getReason()).isEqualTo("Paused");
    });
  }

  private static String time(List<Condition> conditions, String type) {
    return FleetConditions.find(conditions, type).getLastTransitionTime();
  }
}
