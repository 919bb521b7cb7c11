package io.flowfleet.operator.reconcile;

import static io.flowfleet.operator.Fixtures.NAMESPACE;
import static io.flowfleet.operator.Fixtures.platform;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.flowfleet.operator.api.FlowPlatform;
import io.flowfleet.operator.validation.Reasons;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The API server refusing a child (here: a quota) shows in the status and an event while JOSDK retries. */
class ApplyFailureTest {

  MockCluster cluster;

  @AfterEach
  void close() {
    cluster.close();
  }

  @Test
  void aRefusedDeploymentBecomesApplyFailedWithTheServersAnswer() throws Exception {
    cluster = new MockCluster();
    cluster.server.expect().post().withPath("/apis/apps/v1/namespaces/" + NAMESPACE + "/deployments")
        .andReturn(403, new StatusBuilder().withStatus("Failure").withCode(403).withReason("Forbidden")
            .withMessage("deployments.apps \"quota-app\" is forbidden: exceeded quota: compute-resources").build())
        .always();
    cluster.startOperator();
    cluster.client.resources(FlowPlatform.class).inNamespace(NAMESPACE).resource(platform("quota", 2)).create();

    FlowPlatform failed = await().until(() -> cluster.client.resources(FlowPlatform.class).inNamespace(NAMESPACE)
        .withName("quota").get(), p -> p.getStatus() != null
        && Reasons.APPLY_FAILED.equals(ReadyCondition.find(p.getStatus().getConditions()).getReason()));
    var ready = ReadyCondition.find(failed.getStatus().getConditions());
    assertThat(ready.getStatus()).isEqualTo("False");
    assertThat(ready.getMessage()).contains("exceeded quota");
    await().until(() -> cluster.client.v1().events().inNamespace(NAMESPACE).list().getItems().stream()
        .anyMatch(e -> e.getReason().equals(Reasons.APPLY_FAILED) && e.getInvolvedObject().getName().equals("quota")));
  }
}
