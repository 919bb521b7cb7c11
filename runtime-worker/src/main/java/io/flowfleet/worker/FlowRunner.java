package io.flowfleet.worker;

import io.flowfleet.core.flow.ClaimGate;
import io.flowfleet.core.flow.ClaimRefused;
import io.flowfleet.core.flow.FlowDefinition;
import io.flowfleet.core.flow.FlowRun;
import io.flowfleet.core.flow.RunListener;
import io.flowfleet.core.flow.TriggerPayload;

/**
 * Runs one flow for a slot: in this JVM (SANDBOX_CODE_ONLY) or in a child JVM of the slot
 * (SANDBOX_PROCESS). Never throws for a fault of the flow; every outcome is a {@link FlowRun}.
 */
public interface FlowRunner extends AutoCloseable {
    FlowRun run(FlowDefinition definition, TriggerPayload trigger, RunListener listener);

    /**
     * Runs a flow whose claim may still be in flight: no step with an effect outside the run starts
     * before {@code gate} opens. This default waits for the gate before starting the flow (for an
     * engine in another process, which cannot wait on it step by step); the in-process engine lets
     * pure steps overlap the claim.
     *
     * @throws ClaimRefused the run is not this attempt's: nothing of it may be stored or replied
     */
    default FlowRun run(FlowDefinition definition, TriggerPayload trigger, RunListener listener, ClaimGate gate) throws ClaimRefused {
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClaimRefused(gate.runId(), "interrupted while waiting for the claim");
        }
        return run(definition, trigger, listener);
    }

    /** What runs the flows, for logs: e.g. "in-process (optimizing)". */
    String describe();

    @Override
    default void close() {
    }
}
