package io.flowfleet.core.flow;

/** Outcome of one step execution. */
public enum StepStatus {
    SUCCEEDED,
    /** The step failed after its attempts; the run fails unless the step continues on failure. */
    FAILED,
    /** A limit (flow timeout, log size) stopped the step. */
    STOPPED
}
