package io.flowfleet.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import java.util.Queue;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.flowfleet.operator.Fixtures;
import io.flowfleet.operator.OperatorRuntime;
import io.flowfleet.operator.OperatorSettings;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * The fabric8 CRUD mock API server with our generated CRDs and the fixtures' Secrets, and a real JOSDK Operator
 * wired exactly as in production except for server-side apply (the mock lacks it) and leader election.
 */
final class MockCluster {

  /** The mock logs every request at INFO through java.util.logging; kept referenced so the level sticks. */
  private static final java.util.logging.Logger MOCK_LOG = java.util.logging.Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(java.util.logging.Level.WARNING);
  }

  final KubernetesMockServer server;
  final KubernetesClient client;
  /** Finished reconciliations per resource name, counted through JOSDK's Metrics hook. */
  final Map<String, AtomicInteger> reconciliations = new ConcurrentHashMap<>();
  Operator operator;

  MockCluster() throws Exception {
    // CRUD mode, plus expectations where a test needs an answer the CRUD store cannot give
    var responses = new HashMap<ServerRequest, Queue<ServerResponse>>();
    server = new KubernetesMockServer(new Context(), new MockWebServer(), responses,
        new KubernetesMixedDispatcher(responses), false);
    server.init();
    client = server.createClient();
    for (String crd : List.of("flowplatforms.flowfleet.io-v1.yml", "workergroups.flowfleet.io-v1.yml")) {
      try (var in = Files.newInputStream(Path.of("target/classes/META-INF/fabric8", crd))) {
        client.apiextensions().v1().customResourceDefinitions().load(in).create();
      }
    }
    Fixtures.SECRETS.forEach((name, keys) -> {
      var secret = new SecretBuilder().withNewMetadata().withName(name).withNamespace(Fixtures.NAMESPACE).endMetadata();
      keys.forEach(k -> secret.addToStringData(k, "value-of-" + k));
      client.secrets().resource(secret.build()).create();
    });
  }

  void startOperator() {
    operator = startOperator(OperatorSettings.forTests(Fixtures.NAMESPACE), reconciliations, o -> { });
  }

  /** Another operator on the same API server, counting its finished reconciliations into {@code counts}. */
  Operator startOperator(OperatorSettings settings, Map<String, AtomicInteger> counts,
      Consumer<ConfigurationServiceOverrider> extra) {
    Operator started = OperatorRuntime.create(client, settings, o -> {
      o.withMetrics(new Metrics() {
        @Override
        public void finishedReconciliation(HasMetadata resource, Map<String, Object> metadata) {
          counts.computeIfAbsent(resource.getMetadata().getName(), k -> new AtomicInteger()).incrementAndGet();
        }
      });
      extra.accept(o);
    });
    started.start();
    return started;
  }

  int reconciliationsOf(String name) {
    return reconciliations.getOrDefault(name, new AtomicInteger()).get();
  }

  /** Takes every request the server recorded so far, oldest first. */
  List<RecordedRequest> drainRequests() throws InterruptedException {
    List<RecordedRequest> requests = new ArrayList<>();
    RecordedRequest request;
    while ((request = server.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      requests.add(request);
    }
    return requests;
  }

  void close() {
    if (operator != null) {
      operator.stop();
    }
    client.close();
    server.destroy();
  }
}
