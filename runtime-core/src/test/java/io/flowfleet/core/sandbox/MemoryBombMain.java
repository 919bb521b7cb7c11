package io.flowfleet.core.sandbox;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.flowfleet.core.flow.FlowDefinition;
import io.flowfleet.core.flow.FlowEngine;
import io.flowfleet.core.flow.FlowRun;
import io.flowfleet.core.flow.RunListener;
import io.flowfleet.core.flow.TriggerPayload;

/**
 * Run by {@link MemoryGuardTest} in a JVM of its own with a small heap: each argument is a code step's
 * body; it runs each (then a small flow, to show the JVM still works) and prints one line per run:
 * {@code RESULT <status> <error>}.
 */
public final class MemoryBombMain {
    public static void main(String[] bodies) throws Exception {
        try (FlowEngine engine = FlowEngine.builder().reuseSandbox(true).build()) {
            engine.warmUp();
            FlowDefinition ok = SandboxProbes.flow("export const code = async () => [1, 2, 3].map((x) => x * 2);", "ok:1");
            int n = 0;
            for (String body : bodies) {
                FlowDefinition bomb = SandboxProbes.flow("export const code = async (inputs) => {\n" + body + "\n};", "bomb" + (n++) + ":1");
                report(engine.run(bomb, TriggerPayload.ofBody(JsonNodeFactory.instance.objectNode()), RunListener.NONE));
                report(engine.run(ok, TriggerPayload.ofBody(JsonNodeFactory.instance.objectNode()), RunListener.NONE));
            }
        }
        System.out.println("JVM ALIVE");
    }

    private static void report(FlowRun run) {
        String error = run.error() == null ? "" : run.error().replace('\n', ' ');
        System.out.println("RESULT " + run.status() + " " + (error.length() > 300 ? error.substring(0, 300) : error));
        System.out.flush();
    }
}
