package io.flowfleet.worker.sandbox;

import io.flowfleet.core.flow.ClaimGate;
import io.flowfleet.core.flow.ClaimRefused;
import io.flowfleet.core.flow.FlowDefinition;
import io.flowfleet.core.flow.FlowRun;
import io.flowfleet.core.flow.RunListener;
import io.flowfleet.core.flow.RunStatus;
import io.flowfleet.core.flow.TriggerPayload;
import io.flowfleet.worker.FlowRunner;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;

/**
 * SANDBOX_PROCESS: each slot runs flows in a child JVM of its own ({@link SandboxChild}), started
 * from this worker's own jar (or class path) with none of the worker's environment but the Java
 * launcher's options ({@link SandboxProcess#INHERITED_ENV}). With AP_REUSE_SANDBOX=true the children
 * are started with the worker and kept warm (bundle, compiled code and JS engine stay in them);
 * with false every run gets a fresh child. A child that dies, or overruns the flow limit by
 * {@value #KILL_GRACE_SECONDS} s, is killed and replaced (a new child starts at once, in the background);
 * its run ends INTERNAL_ERROR, or MEMORY_LIMIT when the child ran out of heap. Inside the child the
 * engine's memory guard usually stops a memory bomb first, and the child lives on.
 */
public final class ProcessSandboxRunner implements FlowRunner {
    private static final Logger LOG = LoggerFactory.getLogger(ProcessSandboxRunner.class);
    static final long KILL_GRACE_SECONDS = 15;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final List<String> command;
    private final boolean reuse;
    private final Duration flowTimeout;
    private final ConcurrentLinkedQueue<SandboxProcess> idle = new ConcurrentLinkedQueue<>();
    private final java.util.Set<SandboxProcess> all = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Children starting in place of failed ones (reuse on): the next run takes one rather than starting another. */
    private final ConcurrentLinkedQueue<CompletableFuture<SandboxProcess>> replacements = new ConcurrentLinkedQueue<>();
    private volatile String jsRuntime = "unknown";
    static final long DEFAULT_MAX_FILE_SIZE_BYTES =
            Long.parseLong(io.flowfleet.contract.RuntimeSettings.MAX_FILE_SIZE_MB.defaultValue()) * 1024 * 1024;

    /** With the default file size limit (AP_MAX_FILE_SIZE_MB's default). */
    public ProcessSandboxRunner(int slots, boolean reuse, Duration flowTimeout, long maxRunLogBytes, List<String> jvmOptions) {
        this(slots, reuse, flowTimeout, maxRunLogBytes, DEFAULT_MAX_FILE_SIZE_BYTES, jvmOptions);
    }

    public ProcessSandboxRunner(int slots, boolean reuse, Duration flowTimeout, long maxRunLogBytes, long maxFileSizeBytes,
                                List<String> jvmOptions) {
        this.reuse = reuse;
        this.flowTimeout = flowTimeout;
        this.command = command(jvmOptions, flowTimeout, maxRunLogBytes, reuse);
        // the child's engine bounds http_request bodies and step outputs like the in-process one
        this.command.addAll(List.of("--max-file-bytes", Long.toString(maxFileSizeBytes)));
        if (reuse) {
            List<CompletableFuture<SandboxProcess>> starting = new ArrayList<>();
            for (int i = 0; i < slots; i++) starting.add(CompletableFuture.supplyAsync(this::startChild));
            for (CompletableFuture<SandboxProcess> f : starting) idle.add(f.join());
        }
        LOG.info("SANDBOX_PROCESS: {} {} sandbox JVM(s): {}", reuse ? slots : 0, reuse ? "warm" : "(one per run)", String.join(" ", command));
    }

    /** {@code java OPTIONS -jar worker.jar sandbox-child ...}, or {@code -cp} + main class outside the boot jar. */
    static List<String> command(List<String> jvmOptions, Duration flowTimeout, long maxRunLogBytes, boolean reuse) {
        String javaBin = ProcessHandle.current().info().command().orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        String classPath = System.getProperty("java.class.path");
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin);
        cmd.addAll(jvmOptions);
        if (isBootJar(classPath)) {
            cmd.add("-jar");
            cmd.add(classPath);
        } else {
            cmd.add("-cp");
            cmd.add(classPath);
            cmd.add("io.flowfleet.worker.FlowfleetWorker");
        }
        cmd.addAll(List.of("sandbox-child", "--flow-timeout-ms", Long.toString(flowTimeout.toMillis()),
                "--max-log-bytes", Long.toString(maxRunLogBytes), "--reuse", Boolean.toString(reuse)));
        return cmd;
    }

    /** A Spring Boot jar (run with -jar) rather than a class path (IDE, test runner, plain jars). */
    private static boolean isBootJar(String classPath) {
        if (!classPath.endsWith(".jar") || classPath.contains(java.io.File.pathSeparator) || !Files.isRegularFile(Path.of(classPath))) {
            return false;
        }
        try (JarFile jar = new JarFile(classPath)) {
            return jar.getManifest() != null && jar.getManifest().getMainAttributes().getValue("Start-Class") != null;
        } catch (IOException e) {
            return false;
        }
    }

    private SandboxProcess startChild() {
        try {
            SandboxProcess child = SandboxProcess.start(command, READY_TIMEOUT);
            all.add(child);
            jsRuntime = child.jsRuntime();
            return child;
        } catch (IOException e) {
            throw new IllegalStateException("could not start a sandbox process: " + e.getMessage(), e);
        }
    }

    @Override
    public FlowRun run(FlowDefinition definition, TriggerPayload trigger, RunListener listener) {
        return run(definition, trigger, listener, UUID.randomUUID());
    }

    /** The child's engine cannot wait on the claim step by step: the run starts once it is claimed. */
    @Override
    public FlowRun run(FlowDefinition definition, TriggerPayload trigger, RunListener listener, ClaimGate gate) throws ClaimRefused {
        try {
            gate.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ClaimRefused(gate.runId(), "interrupted while waiting for the claim");
        }
        return run(definition, trigger, listener, gate.runId());
    }

    private FlowRun run(FlowDefinition definition, TriggerPayload trigger, RunListener listener, UUID runId) {
        SandboxProcess child = idle.poll();
        try {
            if (child == null) {
                CompletableFuture<SandboxProcess> replacement = replacements.poll();
                if (replacement != null) child = replacement.join();
            }
            if (child == null || !child.isAlive()) child = startChild();
        } catch (IllegalStateException | java.util.concurrent.CompletionException e) {
            return failed(e.getMessage());
        }
        SandboxProcess running = child;
        CompletableFuture<Void> watchdog = CompletableFuture.runAsync(running::kill, CompletableFuture.delayedExecutor(
                flowTimeout.toSeconds() + KILL_GRACE_SECONDS, TimeUnit.SECONDS));
        String key = definition.cacheKey() != null ? definition.cacheKey() : "once-" + UUID.randomUUID();
        try {
            FlowRun run = running.run(key, definition.toJson(), trigger, listener, runId);
            if (reuse) {
                idle.add(running);
            } else {
                all.remove(running);
                running.close();
            }
            return run;
        } catch (SandboxProcess.ChildFailed e) {
            LOG.warn("sandbox process {} failed: {}; it is replaced", running.pid(), e.getMessage());
            running.kill();
            all.remove(running);
            if (reuse) replacements.add(CompletableFuture.supplyAsync(this::startChild));
            if (e.outOfMemory) {
                return new FlowRun(RunStatus.MEMORY_LIMIT, e.steps, null, "the flow's code ran the sandbox process out of "
                        + "memory (" + e.getMessage() + "); the process was replaced", null, 0);
            }
            return new FlowRun(RunStatus.INTERNAL_ERROR, e.steps, null, "the sandbox process failed: " + e.getMessage(), null, 0);
        } finally {
            watchdog.cancel(false);
        }
    }

    private static FlowRun failed(String error) {
        return new FlowRun(RunStatus.INTERNAL_ERROR, List.of(), null, error, null, 0);
    }

    @Override
    public String describe() {
        return "sandbox processes (" + (reuse ? "warm" : "one per run") + ", JS runtime: " + jsRuntime + ")";
    }

    @Override
    public void close() {
        SandboxProcess child;
        while ((child = idle.poll()) != null) {
            all.remove(child);
            child.close();
        }
        CompletableFuture<SandboxProcess> starting;
        while ((starting = replacements.poll()) != null) {
            try {
                SandboxProcess replacement = starting.join();
                all.remove(replacement);
                replacement.close();
            } catch (RuntimeException e) {
                LOG.debug("a replacement sandbox process failed to start", e);
            }
        }
        for (SandboxProcess busy : all) busy.kill(); // runs still going at shutdown were handed back
    }
}
