package io.flowfleet.operator.api;

import java.util.Arrays;
import java.util.Optional;

/**
 * The runtime's execution modes (AP_EXECUTION_MODE). The CRD keeps the field a plain string so that a CRD
 * older or newer than the operator never blocks an apply; the operator validates it (reason UnknownExecutionMode).
 */
public enum ExecutionMode {
  /** Flow engine inside the worker JVM, code steps in a GraalVM context without host access (recommended). */
  SANDBOX_CODE_ONLY,
  /** Engine in a child process per slot; required for worker groups (tenant isolation). */
  SANDBOX_PROCESS,
  /** No sandbox: development only. */
  UNSANDBOXED;

  public static Optional<ExecutionMode> parse(String value) {
    return Arrays.stream(values()).filter(m -> m.name().equals(value)).findFirst();
  }
}
