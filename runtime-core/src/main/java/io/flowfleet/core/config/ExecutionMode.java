package io.flowfleet.core.config;

/** Where flow code runs (AP_EXECUTION_MODE). */
public enum ExecutionMode {
    /** Engine in the worker JVM, every code step in a locked-down GraalVM context (default). */
    SANDBOX_CODE_ONLY,
    /** Engine in a child JVM per slot: tenant isolation, required for worker groups. */
    SANDBOX_PROCESS,
    /** Development only: code steps without the sandbox's restrictions. */
    UNSANDBOXED
}
