package io.flowfleet.operator.reconcile;

import static io.flowfleet.operator.Fixtures.NAMESPACE;
import static io.flowfleet.operator.Fixtures.platform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.authorization.v1.SelfSubjectRulesReviewBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.flowfleet.operator.OperatorSettings;
import io.flowfleet.operator.api.FlowPlatform;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Two operator replicas on one API server: only the Lease holder reconciles; the standby takes over. */
class LeaderElectionTest {

  static final String LEASE = "flowfleet-operator-leader";
  MockCluster cluster;

  @AfterEach
  void close() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void onlyTheLeaderReconcilesAndTheStandbyTakesOverWhenItGoes() throws Exception {
    cluster = new MockCluster();
    // JOSDK checks its Lease permissions first; the mock has no authorizer, so answer as the chart's Role would.
    cluster.server.expect().post().withPath("/apis/authorization.k8s.io/v1/selfsubjectrulesreviews")
        .andReturn(201, new SelfSubjectRulesReviewBuilder().withNewStatus().withIncomplete(false)
            .addNewResourceRule().withApiGroups("coordination.k8s.io").withResources("leases")
            .withVerbs("create", "get", "update").endResourceRule().endStatus().build())
        .always();
    Map<String, AtomicInteger> first = new ConcurrentHashMap<>();
    Map<String, AtomicInteger> second = new ConcurrentHashMap<>();
    Operator a = cluster.startOperator(settings("replica-a"), first, o -> o.withLeaderElectionConfiguration(lease("replica-a")));
    await().until(() -> holder() != null && holder().equals("replica-a"));
    Operator b = cluster.startOperator(settings("replica-b"), second, o -> o.withLeaderElectionConfiguration(lease("replica-b")));

    cluster.client.resources(FlowPlatform.class).inNamespace(NAMESPACE).resource(platform("elected", 2)).create();
    await().until(() -> first.getOrDefault("elected", new AtomicInteger()).get() > 0);
    assertThat(second).as("the standby only keeps its caches warm").isEmpty();
    assertThat(holder()).isEqualTo("replica-a");

    a.stop();
    await().atMost(Duration.ofSeconds(20)).until(() -> "replica-b".equals(holder()));
    await().until(() -> second.getOrDefault("elected", new AtomicInteger()).get() > 0);
    b.stop();
  }

  private static OperatorSettings settings(String identity) {
    return new OperatorSettings(Set.of(NAMESPACE), true, LEASE, NAMESPACE, identity, false, 0);
  }

  /** Short timings for the test, and no System.exit when leadership ends (the production default exits). */
  private static LeaderElectionConfiguration lease(String identity) {
    return new LeaderElectionConfiguration(LEASE, NAMESPACE, Duration.ofSeconds(2), Duration.ofMillis(1500),
        Duration.ofMillis(300), identity, null, false);
  }

  private String holder() {
    Lease lease = cluster.client.leases().inNamespace(NAMESPACE).withName(LEASE).get();
    return lease == null ? null : lease.getSpec().getHolderIdentity();
  }
}
