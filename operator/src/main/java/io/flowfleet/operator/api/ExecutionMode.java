package io.flowfleet.operator.api;

import java.util.Arrays;
import java.util.Optional;

/**
 * The runtime's execution modes (the contract's AP_EXECUTION_MODE values; ExecutionModeTest keeps them equal). The
 * CRD lists them as an enum; the operator validates objects stored before that (reason UnknownExecutionMode).
 * There is no unsandboxed mode.
 */
public enum ExecutionMode {
  /** Flow engine inside the worker JVM, code steps in a GraalVM context without host access (recommended). */
  SANDBOX_CODE_ONLY,
  /** Engine in a child process per slot; required for worker groups (tenant isolation). */
  SANDBOX_PROCESS;

  public static Optional<ExecutionMode> parse(String value) {
    return Arrays.stream(values()).filter(m -> m.name().equals(value)).findFirst();
  }
}
