package io.flowfleet.operator.desired;

import io.flowfleet.operator.api.FlowPlatform;
import io.flowfleet.operator.api.WorkerGroup;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The app.kubernetes.io/* labels of everything the operator creates. Computed from names only, never copied from
 * the custom resource (GitOps tools track resources by their own labels and annotations).
 */
public final class FleetLabels {

  public static final String NAME = "app.kubernetes.io/name";
  public static final String INSTANCE = "app.kubernetes.io/instance";
  public static final String COMPONENT = "app.kubernetes.io/component";
  public static final String PART_OF = "app.kubernetes.io/part-of";
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  public static final String VERSION = "app.kubernetes.io/version";
  public static final String WORKER_GROUP = "flowfleet.io/worker-group";

  public static final String APP_NAME = "flowfleet";
  public static final String MANAGER = "flowfleet-operator";
  /** Label selector of every informer of the operator: it caches only what it manages. */
  public static final String MANAGED_SELECTOR = MANAGED_BY + "=" + MANAGER;

  public static final String COMPONENT_APP = "app";
  public static final String COMPONENT_WORKER = "worker";
  public static final String COMPONENT_WORKER_GROUP = "worker-group";
  public static final String COMPONENT_CONFIG = "runtime-config";

  private FleetLabels() {}

  /** Immutable labels that select one role's pods of one platform (Deployment selector, Service, PDB). */
  public static Map<String, String> selector(FlowPlatform platform, String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME, APP_NAME);
    labels.put(INSTANCE, platform.getMetadata().getName());
    labels.put(COMPONENT, component);
    return labels;
  }

  public static Map<String, String> groupSelector(WorkerGroup group, String platformName) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put(NAME, APP_NAME);
    labels.put(INSTANCE, platformName);
    labels.put(COMPONENT, COMPONENT_WORKER_GROUP);
    labels.put(WORKER_GROUP, group.getMetadata().getName());
    return labels;
  }

  /** Selector labels plus the descriptive ones; {@code version} may be null (ConfigMap, Service). */
  public static Map<String, String> full(Map<String, String> selector, String version) {
    Map<String, String> labels = new LinkedHashMap<>(selector);
    labels.put(PART_OF, APP_NAME);
    labels.put(MANAGED_BY, MANAGER);
    if (version != null) {
      labels.put(VERSION, version);
    }
    return labels;
  }
}
