package io.flowfleet.worker;

import io.flowfleet.core.flow.ClaimGate;
import io.flowfleet.core.flow.ClaimRefused;
import io.flowfleet.core.flow.FlowDefinition;
import io.flowfleet.core.flow.FlowEngine;
import io.flowfleet.core.flow.FlowRun;
import io.flowfleet.core.flow.RunListener;
import io.flowfleet.core.flow.TriggerPayload;

/** SANDBOX_CODE_ONLY: the engine in the worker JVM, code steps in its GraalVM sandbox. */
final class InProcessRunner implements FlowRunner {
    private final FlowEngine engine;

    InProcessRunner(FlowEngine engine) {
        this.engine = engine;
    }

    @Override
    public FlowRun run(FlowDefinition definition, TriggerPayload trigger, RunListener listener) {
        return engine.run(definition, trigger, listener);
    }

    @Override
    public FlowRun run(FlowDefinition definition, TriggerPayload trigger, RunListener listener, ClaimGate gate) throws ClaimRefused {
        return engine.run(definition, trigger, listener, gate);
    }

    @Override
    public String describe() {
        return "in-process engine (JS runtime: " + engine.jsRuntime() + ")";
    }

    @Override
    public void close() {
        engine.close();
    }
}
