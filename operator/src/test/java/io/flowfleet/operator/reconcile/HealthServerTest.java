package io.flowfleet.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.flowfleet.operator.Fixtures;
import io.flowfleet.operator.HealthServer;
import io.flowfleet.operator.OperatorRuntime;
import io.flowfleet.operator.OperatorSettings;
import io.flowfleet.operator.api.FlowPlatform;
import io.flowfleet.operator.metrics.OperatorMetrics;
import io.javaoperatorsdk.operator.Operator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** /readyz follows the operator's start, /healthz its informers; /metrics serves Prometheus text. */
class HealthServerTest {

  MockCluster cluster;
  HealthServer health;

  @AfterEach
  void close() {
    if (health != null) {
      health.close();
    }
    cluster.close();
  }

  @Test
  void readyOnceStartedAndHealthyWhileTheInformersAre() throws Exception {
    cluster = new MockCluster();
    Operator operator = OperatorRuntime.create(cluster.client, OperatorSettings.forTests(Fixtures.NAMESPACE), o -> { });
    cluster.operator = operator;
    health = HealthServer.start(0, operator.getRuntimeInfo());
    assertThat(get("/readyz").statusCode()).isEqualTo(503);
    assertThat(get("/healthz").statusCode()).isEqualTo(503);

    operator.start();
    assertThat(get("/readyz").statusCode()).isEqualTo(200);
    HttpResponse<String> healthz = get("/healthz");
    assertThat(healthz.statusCode()).as(healthz.body()).isEqualTo(200);
  }

  @Test
  void metricsOfReconcilesAndOfTheResourcesConditionsInPrometheusFormat() throws Exception {
    cluster = new MockCluster();
    OperatorMetrics metrics = new OperatorMetrics();
    Operator operator = OperatorRuntime.create(cluster.client, OperatorSettings.forTests(Fixtures.NAMESPACE), metrics,
        o -> { });
    cluster.operator = operator;
    health = HealthServer.start(0, operator.getRuntimeInfo(), metrics::scrape);
    operator.start();
    FlowPlatform bad = Fixtures.platform("metered-bad", 1);
    bad.getSpec().getPostgres().setSecretName("nowhere");
    cluster.client.resource(bad).create();
    cluster.client.resource(Fixtures.platform("metered", 2)).create();

    HttpResponse<String> scraped = await().until(() -> get("/metrics"), r -> r.body().contains("name=\"metered-bad\""));
    assertThat(scraped.statusCode()).isEqualTo(200);
    assertThat(scraped.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    String body = await().until(() -> get("/metrics").body(), b -> b.contains("name=\"metered\""));
    // JOSDK's Micrometer metrics: reconciles (started, succeeded, failed) and their durations, per controller
    assertThat(body).contains("# TYPE operator_sdk_reconciliations_started_total counter")
        .contains("operator_sdk_reconciliations_success_total")
        .containsPattern("operator_sdk_controllers_execution_reconcile_seconds_count\\{[^}]*controller=\"flowplatform\"");
    // the conditions, from the informer cache: what a "platform not ready" alert reads
    assertThat(body).containsPattern("flowfleet_resource_condition\\{kind=\"FlowPlatform\",name=\"metered-bad\","
        + "namespace=\"flows\",reason=\"SecretNotFound\",type=\"Stalled\"} 1(\\.0)?\n");
    assertThat(body).containsPattern("flowfleet_resource_condition\\{kind=\"FlowPlatform\",name=\"metered\","
        + "namespace=\"flows\",reason=\"Progressing\",type=\"Reconciling\"} 1(\\.0)?\n");
    assertThat(body).containsPattern("flowfleet_resource_condition\\{kind=\"FlowPlatform\",name=\"metered\","
        + "namespace=\"flows\",reason=\"Progressing\",type=\"Ready\"} 0(\\.0)?\n");

    // a deleted resource leaves no series behind
    cluster.client.resource(bad).delete();
    await().until(() -> get("/metrics").body(), b -> !b.contains("name=\"metered-bad\""));
  }

  private HttpResponse<String> get(String path) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }
}
