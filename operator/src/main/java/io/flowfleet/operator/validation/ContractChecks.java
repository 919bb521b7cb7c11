package io.flowfleet.operator.validation;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.flowfleet.contract.RuntimeSettings;
import io.flowfleet.contract.Setting;
import io.flowfleet.operator.api.FlowPlatformSpec;
import io.flowfleet.operator.desired.ExtraEnv;
import io.flowfleet.operator.desired.RuntimeLimits;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the runtime would refuse, refused here first: values outside the contract's ranges, and user env naming a
 * variable the operator owns. The CRD carries the same rules (maximum, CEL on env); these catch objects stored
 * before the rules existed, and render's input.
 */
final class ContractChecks {

  private ContractChecks() {}

  /** spec.limits.* against the ranges of the settings they become. */
  static void limits(FlowPlatformSpec spec, List<Problem> problems) {
    for (Map.Entry<String, Map.Entry<Setting, Integer>> field : RuntimeLimits.of(spec).byField().entrySet()) {
      range("spec.limits." + field.getKey(), field.getValue().getKey(), field.getValue().getValue(), problems);
    }
  }

  /** A field that becomes an INT setting; null (unset: the default) is always fine. */
  static void range(String field, Setting setting, Integer value, List<Problem> problems) {
    if (value != null && (value < setting.min() || value > setting.max())) {
      problems.add(new Problem(Reasons.LIMIT_OUT_OF_RANGE, field + " is " + value + ": the runtime accepts "
          + setting.min() + " to " + setting.max() + " (" + setting.name() + "); its pods would not start. Set "
          + field + " within that range"));
    }
  }

  /** User env of one role: no reserved names, and tunable settings with values the runtime accepts. */
  static void env(String field, List<EnvVar> env, List<Problem> problems) {
    Set<String> reserved = ExtraEnv.reserved(env);
    if (!reserved.isEmpty()) {
      problems.add(new Problem(Reasons.RESERVED_ENV, field + " sets " + String.join(", ", reserved) + ", which the "
          + "operator owns (it derives them from spec.limits, spec.execution, the stores and the WorkerGroups): remove "
          + (reserved.size() == 1 ? "it" : "them") + " from " + field + ". Variables env may not set: "
          + String.join(", ", RuntimeSettings.reservedNames())));
    }
    List<String> invalid = ExtraEnv.invalidValues(env);
    if (!invalid.isEmpty()) {
      problems.add(new Problem(Reasons.INVALID_SPEC, field + ": the runtime would refuse " + String.join("; ", invalid)));
    }
  }

  static String unsupportedMode(String mode) {
    return "UNSANDBOXED".equalsIgnoreCase(mode) ? " (UNSANDBOXED is not supported: flow code always runs sandboxed)" : "";
  }
}
