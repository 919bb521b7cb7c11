package io.flowfleet.operator.desired;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.flowfleet.contract.RuntimeSettings;
import io.flowfleet.operator.api.ExecutionSpec;
import io.flowfleet.operator.api.FlowPlatform;
import io.flowfleet.operator.api.WorkerGroup;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * The runtime ConfigMap of a platform: the seed's recommended AP_* settings, the limits, the queue names and the
 * tenant routes. No connection settings: those reach pods from their Secrets (see {@link StoreEnv}).
 */
public final class RuntimeConfig {

  public static final String DEFAULT_QUEUE = RuntimeSettings.QUEUE_NAME.defaultValue();
  public static final String QUEUE_ROUTES = RuntimeSettings.QUEUE_ROUTES.name();
  public static final int HTTP_PORT = 8080;

  private RuntimeConfig() {}

  /** The ConfigMap's data, sorted by key. {@code groups} are the valid WorkerGroups of this platform. */
  public static Map<String, String> data(FlowPlatform platform, Collection<WorkerGroup> groups) {
    ExecutionSpec execution = Objects.requireNonNullElseGet(platform.getSpec().getExecution(), ExecutionSpec::new);
    ExecutionSpec defaults = new ExecutionSpec();
    Map<String, String> data = new TreeMap<>();
    data.put(RuntimeSettings.WORKER_CONCURRENCY.name(),
        String.valueOf(or(execution.getWorkerConcurrency(), defaults.getWorkerConcurrency())));
    data.put(RuntimeSettings.REUSE_SANDBOX.name(), String.valueOf(or(execution.getReuseSandbox(), defaults.getReuseSandbox())));
    data.put(RuntimeSettings.EXECUTION_MODE.name(), or(execution.getMode(), defaults.getMode()));
    data.put(RuntimeSettings.S3_USE_SIGNED_URLS.name(), "true");
    data.put(RuntimeSettings.S3_REGION.name(), platform.getSpec().getS3().getRegion());
    RuntimeLimits.of(platform.getSpec()).byField().values()
        .forEach(limit -> data.put(limit.getKey().name(), String.valueOf(limit.getValue())));
    data.put(RuntimeSettings.QUEUE_NAME.name(), DEFAULT_QUEUE);
    data.put(QUEUE_ROUTES, queueRoutes(groups));
    data.put("SERVER_PORT", String.valueOf(HTTP_PORT));
    return data;
  }

  public static ConfigMap configMap(FlowPlatform platform, Collection<WorkerGroup> groups) {
    return new ConfigMapBuilder()
        .withNewMetadata()
        .withName(FleetNames.runtimeConfig(platform.getMetadata().getName()))
        .withNamespace(platform.getMetadata().getNamespace())
        .withLabels(FleetLabels.full(FleetLabels.selector(platform, FleetLabels.COMPONENT_CONFIG), null))
        .withOwnerReferences(Owners.controllerReferences(platform))
        .endMetadata()
        .withData(data(platform, groups))
        .build();
  }

  /**
   * projectA=groupX,projectB=groupX: sorted by project so the value (and the app pods' config hash) only changes
   * when a route does. A project claimed by two groups goes to the group whose name sorts first.
   */
  public static String queueRoutes(Collection<WorkerGroup> groups) {
    Map<String, String> routes = new TreeMap<>();
    groups.stream()
        .sorted((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName()))
        .forEach(g -> g.getSpec().getProjects().forEach(p -> routes.putIfAbsent(p, g.getMetadata().getName())));
    return routes.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
  }

  /**
   * Hash of the settings a role reads, put on its pod template so that a config change rolls exactly the pods
   * that read it: workers ignore the routes, so a new WorkerGroup does not restart the platform's warm workers.
   */
  public static String hash(Map<String, String> data, boolean includeRoutes) {
    StringBuilder canonical = new StringBuilder();
    new TreeMap<>(data).forEach((k, v) -> {
      if (includeRoutes || !QUEUE_ROUTES.equals(k)) {
        canonical.append(k).append('=').append(v).append('\n');
      }
    });
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static <T> T or(T value, T fallback) {
    return value != null ? value : fallback;
  }
}
