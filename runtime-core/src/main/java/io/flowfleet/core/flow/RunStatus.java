package io.flowfleet.core.flow;

/** Terminal status of a flow run. */
public enum RunStatus {
    SUCCEEDED,
    /** A step failed (and was not set to continue on failure); the run names the step and its error. */
    FAILED,
    /** The flow run limit ({@link FlowEngine.Builder#flowTimeout}) was reached. */
    TIMEOUT,
    /** A fault of Flowfleet itself, not of the flow. */
    INTERNAL_ERROR,
    /** The run log (steps' inputs and outputs) grew over {@link FlowEngine.Builder#maxRunLogBytes}. */
    LOG_SIZE_EXCEEDED,
    /** A code step asked for more memory than code may have (the sandbox's memory guard stopped it). */
    MEMORY_LIMIT
}
