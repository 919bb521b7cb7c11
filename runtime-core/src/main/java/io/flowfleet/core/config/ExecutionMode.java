package io.flowfleet.core.config;

/**
 * Where flow code runs (AP_EXECUTION_MODE; its values are declared in the contract). There is no unsandboxed mode:
 * the runtime refuses UNSANDBOXED at start-up with an error naming the variable.
 */
public enum ExecutionMode {
    /** Engine in the worker JVM, every code step in a locked-down GraalVM context (default). */
    SANDBOX_CODE_ONLY,
    /** Engine in a child JVM per slot: tenant isolation, required for worker groups. */
    SANDBOX_PROCESS
}
