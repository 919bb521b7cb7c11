package io.flowfleet.operator.desired;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class SizingTest {

  @ParameterizedTest(name = "peak {0} -> {1} workers, {2} apps")
  @CsvSource({"1, 1, 1", "10, 10, 1", "11, 11, 2", "50, 50, 5", "1000, 1000, 100"})
  void oneFlowPerWorkerAndOneAppPerTenWorkers(int peak, int workers, int apps) {
    Sizing sizing = Sizing.of(peak, 1);
    assertThat(sizing.workers()).isEqualTo(workers);
    assertThat(sizing.apps()).isEqualTo(apps);
    assertThat(sizing.slots()).isEqualTo(peak);
    assertThat(sizing.migrationNote()).isNull();
  }

  @Test
  void concurrencyFiveKeepsTheSlotsWithAFifthOfTheWorkersEachFiveTimesAsBig() {
    Sizing sizing = Sizing.of(50, 5);
    assertThat(sizing.workers()).isEqualTo(10);
    assertThat(sizing.slots()).isEqualTo(50);
    assertThat(sizing.apps()).as("the app tier serves the same 50 flows").isEqualTo(5);
    ResourceRequirements perPod = RoleResources.worker(5);
    assertThat(perPod.getRequests()).containsEntry("cpu", new Quantity("2500m")).containsEntry("memory", new Quantity("5Gi"));
    assertThat(perPod.getLimits()).containsEntry("memory", new Quantity("5Gi")).doesNotContainKey("cpu");
    assertThat(sizing.migrationNote()).contains("10 workers x 5 = 50 slots").contains("50 workers at concurrency 1");
  }

  @Test
  void slotsNeverFallBelowThePeakWhenItIsNotAMultipleOfTheConcurrency() {
    Sizing sizing = Sizing.of(51, 5);
    assertThat(sizing.workers()).isEqualTo(11);
    assertThat(sizing.slots()).isEqualTo(55);
  }

  @Test
  void defaultResourcesFollowTheSeed() {
    assertThat(RoleResources.worker(1).getRequests())
        .containsEntry("cpu", new Quantity("500m")).containsEntry("memory", new Quantity("1Gi"));
    assertThat(RoleResources.app().getRequests())
        .containsEntry("cpu", new Quantity("1")).containsEntry("memory", new Quantity("1Gi"));
    assertThat(RoleResources.worker(2).getRequests()).containsEntry("cpu", new Quantity("1"));
  }

  @Test
  void rejectsAPeakBelowOne() {
    assertThatThrownBy(() -> Sizing.of(0, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
