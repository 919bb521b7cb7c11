package io.flowfleet.core.flow;

/**
 * In-memory progress of a run, called on the thread that runs the flow. Nothing here costs a
 * network round trip unless the listener makes one.
 */
public interface RunListener {

    /** A listener that ignores everything. */
    RunListener NONE = new RunListener() {
    };

    /**
     * A Return Response step answered. Called before the flow goes on (respond-and-continue) or
     * ends (respond-and-stop), at most once per run: the sync webhook replies from here.
     */
    default void onResponse(FlowResponse response) {
    }

    /** A step finished (succeeded or failed, after its retries). */
    default void onStepFinished(StepRun step) {
    }
}
