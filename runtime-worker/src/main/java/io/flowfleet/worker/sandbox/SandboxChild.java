package io.flowfleet.worker.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowfleet.core.flow.ClaimGate;
import io.flowfleet.core.flow.FlowDefinition;
import io.flowfleet.core.flow.FlowEngine;
import io.flowfleet.core.flow.FlowResponse;
import io.flowfleet.core.flow.FlowRun;
import io.flowfleet.core.flow.InvalidFlowException;
import io.flowfleet.core.flow.RunListener;
import io.flowfleet.core.flow.RunStatus;
import io.flowfleet.core.flow.StepRun;
import io.flowfleet.core.flow.TriggerPayload;

import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * {@code java -jar flowfleet-worker.jar sandbox-child --flow-timeout-ms N --max-log-bytes N --reuse BOOL --max-file-bytes N}:
 * the engine of one worker slot in its own JVM (AP_EXECUTION_MODE=SANDBOX_PROCESS). It holds no
 * credentials (its environment has only the Java launcher's options) and talks only through stdin/stdout
 * ({@link SandboxProtocol}); everything else it prints goes to stderr. It exits when stdin closes.
 */
public final class SandboxChild {
    private SandboxChild() {
    }

    public static void main(String[] args) throws Exception {
        io.flowfleet.core.flow.Json.install(); // Jackson defaults get the runtime's JSON limits (docs/architecture.md)
        // The protocol owns stdout; logging and stray prints go to stderr.
        PrintStream protocol = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        System.setOut(System.err);
        Map<String, String> options = new HashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) options.put(args[i], args[i + 1]);
        boolean reuse = Boolean.parseBoolean(options.getOrDefault("--reuse", "true"));
        try (FlowEngine engine = FlowEngine.builder()
                .flowTimeout(Duration.ofMillis(Long.parseLong(options.getOrDefault("--flow-timeout-ms", "600000"))))
                .maxRunLogBytes(Long.parseLong(options.getOrDefault("--max-log-bytes", Long.toString(50L * 1024 * 1024))))
                .maxFileSizeBytes(Long.parseLong(options.getOrDefault("--max-file-bytes", Long.toString(25L * 1024 * 1024))))
                .reuseSandbox(reuse)
                .build()) {
            engine.warmUp();
            emit(protocol, SandboxProtocol.JSON.createObjectNode().put("event", "ready").put("jsRuntime", engine.jsRuntime()));
            Map<String, FlowDefinition> definitions = new HashMap<>();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                JsonNode request = SandboxProtocol.JSON.readTree(line);
                String key = request.get("key").asText();
                FlowDefinition definition = definitions.get(key);
                FlowRun run;
                if (definition == null && !request.hasNonNull("definition")) {
                    run = internalError("the sandbox has no definition for " + key);
                } else {
                    if (definition == null) {
                        try {
                            definition = FlowDefinition.parse(request.get("definition").asText()).withCacheKey(reuse ? key : null);
                            if (reuse) definitions.put(key, definition);
                        } catch (InvalidFlowException e) {
                            definition = null;
                        }
                    }
                    // The worker claimed the run before sending it: the gate is open, and names the run.
                    ClaimGate claimed = ClaimGate.open(request.hasNonNull("run") ? UUID.fromString(request.get("run").asText()) : UUID.randomUUID());
                    run = definition == null ? internalError("the flow definition of " + key + " is invalid")
                            : engine.run(definition, TriggerPayload.fromJson(request.get("trigger")), new RunListener() {
                                @Override
                                public void onResponse(FlowResponse response) {
                                    ObjectNode event = SandboxProtocol.response(response);
                                    event.put("event", "response");
                                    emit(protocol, event);
                                }

                                @Override
                                public void onStepFinished(StepRun step) {
                                    ObjectNode event = step.toJson();
                                    event.put("event", "step");
                                    emit(protocol, event);
                                }
                            }, claimed);
                }
                emit(protocol, SandboxProtocol.done(run));
            }
        }
    }

    private static FlowRun internalError(String error) {
        return new FlowRun(RunStatus.INTERNAL_ERROR, List.of(), null, error, null, 0);
    }

    private static void emit(PrintStream out, ObjectNode event) {
        synchronized (out) {
            out.print(event.toString());
            out.print('\n');
            out.flush();
        }
    }
}
