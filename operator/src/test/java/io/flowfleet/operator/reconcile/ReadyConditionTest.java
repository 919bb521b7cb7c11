package io.flowfleet.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReadyConditionTest {

  static final Instant T0 = Instant.parse("2026-11-22T04:00:00Z");
  static final Instant T1 = Instant.parse("2026-11-22T04:05:00Z");

  @Test
  void lastTransitionTimeMovesOnlyWhenTheStatusFlips() {
    List<Condition> progressing = ReadyCondition.set(null, false, "Progressing", "0/2 workers", 1, T0);
    assertThat(progressing).singleElement().satisfies(c -> {
      assertThat(c.getStatus()).isEqualTo("False");
      assertThat(c.getLastTransitionTime()).isEqualTo("2026-11-22T04:00:00Z");
    });

    List<Condition> otherReason = ReadyCondition.set(progressing, false, "RegionMismatch", "redis elsewhere", 2, T1);
    assertThat(ReadyCondition.find(otherReason).getLastTransitionTime()).as("False -> False").isEqualTo("2026-11-22T04:00:00Z");
    assertThat(ReadyCondition.find(otherReason).getReason()).isEqualTo("RegionMismatch");
    assertThat(ReadyCondition.find(otherReason).getObservedGeneration()).isEqualTo(2L);

    List<Condition> ready = ReadyCondition.set(otherReason, true, "Ready", "2 workers", 2, T1);
    assertThat(ReadyCondition.find(ready).getLastTransitionTime()).as("False -> True").isEqualTo("2026-11-22T04:05:00Z");
  }

  @Test
  void otherConditionTypesAreKept() {
    Condition other = new ConditionBuilder().withType("Custom").withStatus("True").build();
    assertThat(ReadyCondition.set(List.of(other), true, "Ready", "ok", 1, T0))
        .extracting(Condition::getType).containsExactly("Custom", "Ready");
  }
}
