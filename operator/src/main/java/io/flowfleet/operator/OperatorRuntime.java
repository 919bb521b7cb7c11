package io.flowfleet.operator;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.flowfleet.operator.metrics.OperatorMetrics;
import io.flowfleet.operator.reconcile.EventRecorder;
import io.flowfleet.operator.reconcile.FlowPlatformReconciler;
import io.flowfleet.operator.reconcile.WorkerGroupReconciler;
import io.javaoperatorsdk.operator.Operator;
import io.javaoperatorsdk.operator.api.config.ConfigurationServiceOverrider;
import io.javaoperatorsdk.operator.api.config.ControllerConfigurationOverrider;
import io.javaoperatorsdk.operator.api.config.LeaderElectionConfiguration;
import java.time.Clock;
import java.util.function.Consumer;

/** Builds the JOSDK Operator with both reconcilers: the same wiring in production and in tests. */
public final class OperatorRuntime {

  private OperatorRuntime() {}

  /** {@code extra} lets tests add to the configuration (e.g. metrics); production passes a no-op. */
  public static Operator create(KubernetesClient client, OperatorSettings settings,
      Consumer<ConfigurationServiceOverrider> extra) {
    return create(client, settings, new OperatorMetrics(), extra);
  }

  /** {@code metrics}: JOSDK's reconcile metrics and the resources' conditions, for /metrics. */
  public static Operator create(KubernetesClient client, OperatorSettings settings, OperatorMetrics metrics,
      Consumer<ConfigurationServiceOverrider> extra) {
    Operator operator = new Operator(o -> {
      o.withKubernetesClient(client)
          .withCloseClientOnStop(false)
          .withUseSSAToPatchPrimaryResource(settings.useSsa())
          .withSSABasedCreateUpdateMatchForDependentResources(settings.useSsa())
          .withStopOnInformerErrorDuringStartup(true)
          .withMetrics(metrics.josdk());
      if (settings.leaderElection()) {
        o.withLeaderElectionConfiguration(new LeaderElectionConfiguration(settings.leaseName(),
            settings.leaseNamespace(), settings.identity()));
      }
      extra.accept(o);
    });
    EventRecorder events = new EventRecorder(client, settings.identity() == null ? "flowfleet-operator"
        : settings.identity());
    operator.register(new FlowPlatformReconciler(events, Clock.systemUTC(), metrics), o -> namespaces(o, settings));
    operator.register(new WorkerGroupReconciler(events, Clock.systemUTC(), metrics), o -> namespaces(o, settings));
    return operator;
  }

  private static void namespaces(ControllerConfigurationOverrider<?> o, OperatorSettings settings) {
    if (settings.namespaces().isEmpty()) {
      o.watchingAllNamespaces();
    } else {
      o.settingNamespaces(settings.namespaces());
    }
  }
}
