package io.flowfleet.worker.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowfleet.core.flow.FlowRun;
import io.flowfleet.core.flow.RunListener;
import io.flowfleet.core.flow.StepRun;
import io.flowfleet.core.flow.TriggerPayload;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** One child JVM running a slot's flows, one at a time. */
final class SandboxProcess implements AutoCloseable {
    /** What HotSpot prints on stdout before it exits with -XX:+ExitOnOutOfMemoryError (exit code 3). */
    static final String OUT_OF_MEMORY_LINE = "Terminating due to java.lang.OutOfMemoryError";
    private static final int OUT_OF_MEMORY_EXIT = 3;

    /** The child died or broke the protocol during a run; it is unusable. */
    static final class ChildFailed extends IOException {
        final boolean outOfMemory;
        final List<StepRun> steps;

        ChildFailed(String message, boolean outOfMemory, List<StepRun> steps, Throwable cause) {
            super(message, cause);
            this.outOfMemory = outOfMemory;
            this.steps = List.copyOf(steps);
        }
    }

    private final Process process;
    private final BufferedWriter requests;
    private final BufferedReader events;
    private final Set<String> knownKeys = new HashSet<>();
    private final String jsRuntime;

    private SandboxProcess(Process process, Duration readyTimeout) throws IOException {
        this.process = process;
        this.requests = new BufferedWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8));
        this.events = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        // A child that hangs at boot is killed, which ends the read below.
        CompletableFuture<Void> watchdog = CompletableFuture.runAsync(process::destroyForcibly,
                CompletableFuture.delayedExecutor(readyTimeout.toMillis(), TimeUnit.MILLISECONDS));
        try {
            String line = events.readLine();
            if (line == null) throw new IOException("the sandbox process exited before it was ready (exit " + exitCode() + ")");
            JsonNode ready = SandboxProtocol.JSON.readTree(line);
            if (!"ready".equals(ready.path("event").asText())) throw new IOException("unexpected first line from the sandbox: " + line);
            this.jsRuntime = ready.path("jsRuntime").asText();
        } catch (IOException e) {
            process.destroyForcibly();
            throw e;
        } finally {
            watchdog.cancel(false);
        }
    }

    /** The only variables a child inherits: how to run Java (e.g. the image's GraalJS module flags), never credentials. */
    static final List<String> INHERITED_ENV = List.of("JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS", "TZ", "LANG");

    static SandboxProcess start(List<String> command, Duration readyTimeout) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT);
        Map<String, String> env = builder.environment();
        env.keySet().retainAll(INHERITED_ENV); // no AP_* secrets for tenant code's JVM
        return new SandboxProcess(builder.start(), readyTimeout);
    }

    boolean isAlive() {
        return process.isAlive();
    }

    long pid() {
        return process.pid();
    }

    String jsRuntime() {
        return jsRuntime;
    }

    /**
     * Runs one flow in the child; events reach {@code listener} as they come.
     *
     * @throws IOException the child died or broke the protocol (it is unusable afterwards)
     */
    FlowRun run(String key, String definitionJson, TriggerPayload trigger, RunListener listener, UUID runId) throws ChildFailed {
        ObjectNode request = SandboxProtocol.JSON.createObjectNode();
        request.put("key", key);
        request.put("run", runId.toString()); // keys the http_request steps' idempotency keys
        boolean sendDefinition = knownKeys.add(key);
        if (sendDefinition) request.put("definition", definitionJson);
        request.set("trigger", trigger.toJson());
        List<StepRun> steps = new ArrayList<>();
        try {
            requests.write(request.toString());
            requests.write('\n');
            requests.flush();
            String line;
            while ((line = events.readLine()) != null) {
                if (line.startsWith(OUT_OF_MEMORY_LINE)) {
                    throw new ChildFailed("the sandbox process ran out of memory: " + line.strip(), true, steps, null);
                }
                JsonNode event;
                try {
                    event = SandboxProtocol.JSON.readTree(line);
                } catch (IOException e) {
                    throw new ChildFailed("unexpected line from the sandbox: " + abbreviate(line), false, steps, e);
                }
                switch (event.path("event").asText()) {
                    case "response" -> listener.onResponse(SandboxProtocol.response(event));
                    case "step" -> {
                        StepRun step = StepRun.fromJson(event);
                        steps.add(step);
                        listener.onStepFinished(step);
                    }
                    case "done" -> {
                        return SandboxProtocol.done(event, steps);
                    }
                    default -> throw new ChildFailed("unexpected line from the sandbox: " + abbreviate(line), false, steps, null);
                }
            }
            String exit = exitCode();
            throw new ChildFailed("the sandbox process exited during the run (exit " + exit + ")",
                    exit.equals(Integer.toString(OUT_OF_MEMORY_EXIT)), steps, null);
        } catch (IOException | RuntimeException e) {
            if (sendDefinition) knownKeys.remove(key);
            process.destroyForcibly();
            throw e instanceof ChildFailed failed ? failed : new ChildFailed(e.getMessage(), false, steps, e);
        }
    }

    private static String abbreviate(String line) {
        return line.length() <= 200 ? line : line.substring(0, 200) + "...";
    }

    /** Kills the child (e.g. a run past its limit); a blocked {@link #run} then fails. */
    void kill() {
        process.destroyForcibly();
    }

    private String exitCode() {
        try {
            return process.waitFor(2, TimeUnit.SECONDS) ? Integer.toString(process.exitValue()) : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    @Override
    public void close() {
        try {
            requests.close(); // EOF: the child exits by itself
            if (!process.waitFor(2, TimeUnit.SECONDS)) process.destroyForcibly();
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
