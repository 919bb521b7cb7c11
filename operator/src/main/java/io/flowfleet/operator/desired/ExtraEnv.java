package io.flowfleet.operator.desired;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.flowfleet.operator.api.FlowPlatformSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Merges the user's extra env over the operator's: one entry per name (server-side apply rejects duplicates),
 * the user's value wins, and dead variables are dropped and reported.
 */
public final class ExtraEnv {

  /** Does nothing since Activepieces 0.86.0; the seed says to remove it. */
  public static final String PRE_WARM_CACHE = "AP_PRE_WARM_CACHE";

  private ExtraEnv() {}

  /** The warnings of a platform's app and worker extra env (status.warnings, render's stderr). */
  public static List<String> warnings(FlowPlatformSpec spec) {
    List<String> warnings = new ArrayList<>();
    if (spec != null) {
      warnings.addAll(warnings("spec.app.env", spec.getApp() == null ? null : spec.getApp().getEnv()));
      warnings.addAll(warnings("spec.worker.env", spec.getWorker() == null ? null : spec.getWorker().getEnv()));
    }
    return warnings;
  }

  /** {@code field} names the spec field in warnings, e.g. spec.worker.env. */
  public static List<EnvVar> merge(List<EnvVar> base, List<EnvVar> extra) {
    Map<String, EnvVar> byName = new LinkedHashMap<>();
    base.forEach(e -> byName.put(e.getName(), e));
    if (extra != null) {
      extra.stream().filter(e -> e != null && e.getName() != null && !PRE_WARM_CACHE.equals(e.getName()))
          .forEach(e -> byName.put(e.getName(), e));
    }
    return new ArrayList<>(byName.values());
  }

  /** The warnings {@link #merge} implies for {@code extra} at {@code field}; empty when nothing was dropped. */
  public static List<String> warnings(String field, List<EnvVar> extra) {
    if (extra != null && extra.stream().anyMatch(e -> e != null && PRE_WARM_CACHE.equals(e.getName()))) {
      return List.of(PRE_WARM_CACHE + " dropped from " + field
          + ": it does nothing since Activepieces 0.86.0 (workers stay warm through reuseSandbox); remove it.");
    }
    return List.of();
  }
}
