package io.flowfleet.operator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OperatorSettingsTest {

  @Test
  void readsWhatTheChartSets() {
    OperatorSettings settings = OperatorSettings.fromEnvironment(Map.of(
        "FLOWFLEET_WATCH_NAMESPACES", "flowfleet, team-a,",
        "FLOWFLEET_LEADER_ELECTION", "true",
        "FLOWFLEET_LEASE_NAME", "rel-flowfleet-operator-leader",
        "FLOWFLEET_LEASE_NAMESPACE", "flowfleet-system",
        "POD_NAME", "op-1"));
    assertThat(settings.namespaces()).containsExactlyInAnyOrder("flowfleet", "team-a");
    assertThat(settings.leaderElection()).isTrue();
    assertThat(settings.leaseName()).isEqualTo("rel-flowfleet-operator-leader");
    assertThat(settings.leaseNamespace()).isEqualTo("flowfleet-system");
    assertThat(settings.identity()).isEqualTo("op-1");
    assertThat(settings.useSsa()).as("server-side apply in production").isTrue();
    assertThat(settings.healthPort()).isEqualTo(OperatorSettings.DEFAULT_HEALTH_PORT);
    assertThat(OperatorSettings.fromEnvironment(Map.of("FLOWFLEET_HEALTH_PORT", "0")).healthPort()).isZero();
  }

  @Test
  void defaultsToAllNamespacesWithLeaderElection() {
    OperatorSettings settings = OperatorSettings.fromEnvironment(Map.of("POD_NAMESPACE", "ops",
        "FLOWFLEET_WATCH_NAMESPACES", ""));
    assertThat(settings.namespaces()).isEmpty();
    assertThat(settings.leaderElection()).isTrue();
    assertThat(settings.leaseName()).isEqualTo(OperatorSettings.DEFAULT_LEASE_NAME);
    assertThat(settings.leaseNamespace()).isEqualTo("ops");
    assertThat(OperatorSettings.fromEnvironment(Map.of("FLOWFLEET_LEADER_ELECTION", "false")).leaderElection()).isFalse();
  }
}
