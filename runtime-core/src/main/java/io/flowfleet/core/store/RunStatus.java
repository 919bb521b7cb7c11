package io.flowfleet.core.store;

/** A run's state: QUEUED and RUNNING are open, the other three are terminal and final. */
public enum RunStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED, TIMEOUT;

    public boolean terminal() {
        return this == SUCCEEDED || this == FAILED || this == TIMEOUT;
    }
}
