package io.flowfleet.worker;

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

    /** What runs the flows, for logs: e.g. "in-process (optimizing)". */
    String describe();

    @Override
    default void close() {
    }
}
