package io.flowfleet.core.store;

/**
 * A run's state: QUEUED and RUNNING are open, the others terminal and final. The terminal ones
 * are the flow engine's outcomes (io.flowfleet.core.flow.RunStatus) by the same names.
 */
public enum RunStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, TIMEOUT, INTERNAL_ERROR, LOG_SIZE_EXCEEDED, MEMORY_LIMIT;

    public boolean terminal() {
        return this != QUEUED && this != RUNNING;
    }
}
