package io.flowfleet.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.flowfleet.operator.metrics.OperatorMetrics;
import io.flowfleet.operator.render.RenderCommand;
import io.javaoperatorsdk.operator.Operator;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator jar's entry point. No argument: run the operator (FlowPlatform and WorkerGroup reconcilers, leader
 * election through a Lease so that several replicas are safe, server-side apply). {@code render -f FILE...}: print
 * the manifests the operator would apply, offline.
 */
public final class FlowfleetOperator {

  private static final Logger LOG = LoggerFactory.getLogger(FlowfleetOperator.class);
  static final String USAGE = "usage: flowfleet-operator            run the operator (configured by FLOWFLEET_* env)\n"
      + "       flowfleet-operator render -f FILE [-f FILE...]";

  private FlowfleetOperator() {}

  public static void main(String[] args) {
    List<String> arguments = Arrays.asList(args);
    if (!arguments.isEmpty() && arguments.getFirst().equals("render")) {
      System.exit(RenderCommand.run(arguments.subList(1, arguments.size()), System.out, System.err));
    }
    if (!arguments.isEmpty()) {
      boolean help = arguments.getFirst().equals("-h") || arguments.getFirst().equals("--help");
      (help ? System.out : System.err).println(USAGE);
      System.exit(help ? 0 : 2);
    }
    run(OperatorSettings.fromEnvironment(System.getenv()));
  }

  static void run(OperatorSettings settings) {
    KubernetesClient client = new KubernetesClientBuilder().build();
    OperatorMetrics metrics = new OperatorMetrics();
    Operator operator = OperatorRuntime.create(client, settings, metrics, o -> { });
    // On SIGTERM: stop taking events, let running reconciles finish.
    operator.installShutdownHook(Duration.ofSeconds(20));
    if (settings.healthPort() > 0) {
      try {
        HealthServer.start(settings.healthPort(), operator.getRuntimeInfo(), metrics::scrape);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException("cannot serve /healthz and /metrics on port " + settings.healthPort(), e);
      }
    }
    LOG.info("Flowfleet operator {} starting: namespaces {}, leader election {} (Lease {}/{})", OperatorVersion.get(),
        settings.namespaces().isEmpty() ? "all" : settings.namespaces(), settings.leaderElection(),
        settings.leaseNamespace() == null ? "<client namespace>" : settings.leaseNamespace(), settings.leaseName());
    operator.start();
  }
}
