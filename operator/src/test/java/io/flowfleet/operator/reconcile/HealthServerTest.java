package io.flowfleet.operator.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowfleet.operator.Fixtures;
import io.flowfleet.operator.HealthServer;
import io.flowfleet.operator.OperatorRuntime;
import io.flowfleet.operator.OperatorSettings;
import io.javaoperatorsdk.operator.Operator;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** /readyz follows the operator's start, /healthz its informers. */
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

  private HttpResponse<String> get(String path) throws Exception {
    try (HttpClient client = HttpClient.newHttpClient()) {
      return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + health.port() + path)).build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }
}
