package io.flowfleet.operator.validation;

import java.util.Set;

/** Where validation learns whether a referenced Secret exists and which keys it has. */
@FunctionalInterface
public interface SecretLookup {

  Result find(String namespace, String name);

  /** {@code known} false: cannot tell (offline render without the Secret in its input). */
  record Result(boolean known, boolean exists, Set<String> keys) {

    public static Result unknown() { return new Result(false, false, Set.of()); }
    public static Result missing() { return new Result(true, false, Set.of()); }
    public static Result found(Set<String> keys) { return new Result(true, true, Set.copyOf(keys)); }
  }
}
