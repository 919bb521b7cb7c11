package io.flowfleet.operator;

import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The operator's settings, from the environment the chart sets (docs/architecture.md, "Operator configuration").
 *
 * @param namespaces namespaces to reconcile; empty = all
 * @param leaderElection whether to elect a leader through a Lease (several replicas)
 * @param useSsa server-side apply for children and status (always in production; the test API server lacks it)
 */
public record OperatorSettings(Set<String> namespaces, boolean leaderElection, String leaseName,
    String leaseNamespace, String identity, boolean useSsa, int healthPort) {

  /** Port of /healthz and /readyz ({@link HealthServer}); 0 turns the endpoint off. */
  public static final int DEFAULT_HEALTH_PORT = 8081;

  public static final String DEFAULT_LEASE_NAME = "flowfleet-operator-leader";

  public static OperatorSettings fromEnvironment(Map<String, String> env) {
    Set<String> namespaces = Arrays.stream(env.getOrDefault("FLOWFLEET_WATCH_NAMESPACES", "").split(","))
        .map(String::trim).filter(s -> !s.isEmpty()).collect(Collectors.toUnmodifiableSet());
    boolean leaderElection = !"false".equalsIgnoreCase(env.getOrDefault("FLOWFLEET_LEADER_ELECTION", "true").trim());
    String leaseName = blankToNull(env.get("FLOWFLEET_LEASE_NAME"));
    String leaseNamespace = blankToNull(env.get("FLOWFLEET_LEASE_NAMESPACE"));
    if (leaseNamespace == null) {
      leaseNamespace = blankToNull(env.get("POD_NAMESPACE"));
    }
    String identity = blankToNull(env.get("POD_NAME"));
    String port = blankToNull(env.get("FLOWFLEET_HEALTH_PORT"));
    int healthPort;
    try {
      healthPort = port == null ? DEFAULT_HEALTH_PORT : Integer.parseInt(port);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("FLOWFLEET_HEALTH_PORT must be a port number or 0, not '" + port + "'");
    }
    return new OperatorSettings(namespaces, leaderElection, leaseName == null ? DEFAULT_LEASE_NAME : leaseName,
        leaseNamespace, identity, true, healthPort);
  }

  /** For tests: the given namespaces, no leader election, no server-side apply. */
  public static OperatorSettings forTests(String... namespaces) {
    return new OperatorSettings(Set.of(namespaces), false, DEFAULT_LEASE_NAME, null, "test", false, 0);
  }

  private static String blankToNull(String value) {
    return value == null || value.isBlank() ? null : value.trim();
  }
}
