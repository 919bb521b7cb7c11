package io.flowfleet.operator.metrics;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.client.CustomResource;
import io.flowfleet.operator.api.FleetStatus;
import io.javaoperatorsdk.operator.api.monitoring.Metrics;
import io.javaoperatorsdk.operator.monitoring.micrometer.MicrometerMetrics;
import io.javaoperatorsdk.operator.processing.event.source.IndexerResourceCache;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The operator's metrics, in Prometheus format on the health port's {@code /metrics}: JOSDK's Micrometer metrics
 * (reconciles started, succeeded, failed, their durations, events received; per controller, not per resource, to
 * keep cardinality bounded) and {@value #CONDITION}, the conditions of every FlowPlatform and WorkerGroup read
 * from the informer caches at scrape time (so a deleted resource leaves no stale series).
 */
public final class OperatorMetrics {

  public static final String CONDITION = "flowfleet_resource_condition";

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, IndexerResourceCache<? extends CustomResource<?, ? extends FleetStatus>>> caches =
      new ConcurrentHashMap<>();

  public OperatorMetrics() {
    registry.getPrometheusRegistry().register(new ConditionCollector());
  }

  /** For JOSDK's configuration: {@code o.withMetrics(metrics.josdk())}. */
  public Metrics josdk() {
    return MicrometerMetrics.withoutPerResourceMetrics(registry);
  }

  /** A controller's primary cache, whose resources' conditions are exported. */
  public void track(String kind, IndexerResourceCache<? extends CustomResource<?, ? extends FleetStatus>> cache) {
    caches.put(kind, cache);
  }

  /** The Prometheus text exposition of every metric. */
  public String scrape() {
    return registry.scrape();
  }

  private final class ConditionCollector implements MultiCollector {

    @Override
    public MetricSnapshots collect() {
      GaugeSnapshot.Builder gauge = GaugeSnapshot.builder().name(CONDITION)
          .help("Conditions of FlowPlatform and WorkerGroup resources (Ready, Reconciling, Stalled): 1 when True, "
              + "0 otherwise; reason as a label");
      caches.forEach((kind, cache) -> cache.list().forEach(resource -> {
        FleetStatus status = resource.getStatus();
        List<Condition> conditions = status == null || status.getConditions() == null ? List.of() : status.getConditions();
        for (Condition c : conditions) {
          gauge.dataPoint(GaugeSnapshot.GaugeDataPointSnapshot.builder()
              .labels(Labels.of("kind", kind, "namespace", resource.getMetadata().getNamespace(),
                  "name", resource.getMetadata().getName(), "type", String.valueOf(c.getType()),
                  "reason", String.valueOf(c.getReason())))
              .value("True".equals(c.getStatus()) ? 1 : 0)
              .build());
        }
      }));
      return MetricSnapshots.of(gauge.build());
    }

    @Override
    public List<String> getPrometheusNames() {
      return List.of(CONDITION);
    }
  }
}
