package io.flowfleet.operator.desired;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.flowfleet.contract.RuntimeSettings;
import io.flowfleet.contract.Setting;
import io.flowfleet.operator.api.FlowPlatformSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Merges the user's extra env over the operator's: one entry per name (server-side apply rejects duplicates), the
 * user's value wins for tunable and unknown variables, never for a variable the operator owns (the contract's
 * reserved settings: validation refuses those with reason ReservedEnv, and the merge drops them should one get this
 * far), and dead variables are dropped and reported.
 */
public final class ExtraEnv {

  /** Does nothing since Activepieces 0.86.0; the seed says to remove it. */
  public static final String PRE_WARM_CACHE = RuntimeSettings.DEAD_PRE_WARM_CACHE;

  private static final Set<String> RESERVED = Set.copyOf(RuntimeSettings.reservedNames());

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

  public static List<EnvVar> merge(List<EnvVar> base, List<EnvVar> extra) {
    Map<String, EnvVar> byName = new LinkedHashMap<>();
    base.forEach(e -> byName.put(e.getName(), e));
    if (extra != null) {
      extra.stream().filter(e -> e != null && e.getName() != null && !PRE_WARM_CACHE.equals(e.getName())
              && !RESERVED.contains(e.getName()))
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

  /** The names in {@code extra} that the operator owns (sorted); empty when none. */
  public static Set<String> reserved(List<EnvVar> extra) {
    Set<String> found = new TreeSet<>();
    if (extra != null) {
      extra.stream().filter(Objects::nonNull).map(EnvVar::getName).filter(RESERVED::contains).forEach(found::add);
    }
    return found;
  }

  /**
   * Literal values in {@code extra} of tunable contract settings that the runtime would refuse, as
   * "NAME='value': why" (e.g. AP_POSTGRES_POOL_SIZE='500': must be between 1 and 200); empty when none.
   */
  public static List<String> invalidValues(List<EnvVar> extra) {
    List<String> invalid = new ArrayList<>();
    if (extra != null) {
      for (EnvVar e : extra) {
        if (e == null || e.getName() == null || e.getValue() == null || e.getValue().isBlank()) {
          continue;
        }
        RuntimeSettings.byName(e.getName()).filter(s -> !s.reserved()).ifPresent(setting -> {
          String why = io.flowfleet.contract.ParsedSettings.check(setting, e.getValue());
          if (why != null) {
            invalid.add(setting.name() + "='" + e.getValue() + "': " + why);
          }
        });
      }
    }
    return invalid;
  }

  /** A plain variable of the contract, set by the operator. */
  static EnvVar plain(Setting setting, String value) {
    return new EnvVarBuilder().withName(setting.name()).withValue(value).build();
  }
}
