package io.flowfleet.core.flow;

/**
 * A run's status, the one enum for the engine's outcome and the stored run: QUEUED and RUNNING are
 * open (only a stored run is in them), the others terminal and final (a {@link FlowRun} always ends
 * in one of them).
 */
public enum RunStatus {
    /** Stored and enqueued; no worker holds it. */
    QUEUED,
    /** Claimed by a worker (its attempt holds a lease). */
    RUNNING,
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
    MEMORY_LIMIT;

    public boolean terminal() {
        return this != QUEUED && this != RUNNING;
    }
}
