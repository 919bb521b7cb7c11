package io.flowfleet.core.flow;

import io.flowfleet.core.sandbox.JsSandbox;
import io.flowfleet.core.sandbox.SandboxOptions;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;
import java.util.UUID;

/**
 * Runs flows in-process. Create one per process (it holds the shared GraalVM engine, the compiled
 * code cache, JS contexts prepared ahead and an HTTP client) and share it between threads; close it at
 * shutdown. {@link #run} blocks the calling thread until the run ends.
 */
public final class FlowEngine implements AutoCloseable {
    private final Duration flowTimeout;
    private final long maxRunLogBytes;
    private final long maxFileSizeBytes;
    private final JsSandbox sandbox;
    private final HttpClient httpClient;

    private FlowEngine(Builder b) {
        this.flowTimeout = b.flowTimeout;
        this.maxRunLogBytes = b.maxRunLogBytes;
        this.maxFileSizeBytes = b.maxFileSizeBytes;
        this.sandbox = new JsSandbox(new SandboxOptions(b.reuseSandbox, b.codeStepTimeout, b.statementLimit));
        this.httpClient = b.httpClient != null ? b.httpClient
                : HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs a flow to its end (or its limit) on the calling thread. Never throws for a fault of
     * the flow: every outcome is a {@link FlowRun} status.
     *
     * @param definition the flow (its {@link FlowDefinition#cacheKey()} keys the compiled code)
     * @param trigger    the webhook call that fired it
     * @param listener   told of the response and of each finished step, on this thread
     */
    public FlowRun run(FlowDefinition definition, TriggerPayload trigger, RunListener listener) {
        try {
            return run(definition, trigger, listener, ClaimGate.open(UUID.randomUUID()));
        } catch (ClaimRefused e) {
            throw new IllegalStateException("an open gate refused", e); // cannot happen
        }
    }

    /**
     * Runs a flow whose claim may still be in flight: pure steps start at once, every step with an
     * effect outside the run (HTTP call, reply) first awaits {@code gate}.
     *
     * @param gate the run's claim; its run id also keys the steps' idempotency keys
     * @throws ClaimRefused the gate was refused or revoked: the run stopped before its next effect,
     *                      and its result must be dropped
     */
    public FlowRun run(FlowDefinition definition, TriggerPayload trigger, RunListener listener, ClaimGate gate) throws ClaimRefused {
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(trigger, "trigger");
        Objects.requireNonNull(gate, "gate");
        return new FlowExecution(this, definition, trigger, listener == null ? RunListener.NONE : listener, gate).run();
    }

    /**
     * Creates the GraalVM engine and a spare JS context now (about 0.7 s on 2 cores), so that the
     * first run with a code step does not pay for it. Workers call this once at start.
     */
    public void warmUp() {
        sandbox.warmUp();
    }

    /** "optimizing" or "interpreter": the JS runtime in use (also logged when the engine starts). */
    public String jsRuntime() {
        return sandbox.runtimeName();
    }

    public Duration flowTimeout() {
        return flowTimeout;
    }

    public long maxRunLogBytes() {
        return maxRunLogBytes;
    }

    public long maxFileSizeBytes() {
        return maxFileSizeBytes;
    }

    JsSandbox sandbox() {
        return sandbox;
    }

    HttpClient httpClient() {
        return httpClient;
    }

    @Override
    public void close() {
        sandbox.close();
    }

    /** Settings; every one has the production default. */
    public static final class Builder {
        private Duration flowTimeout = Duration.ofSeconds(600);
        private long maxRunLogBytes = 50L * 1024 * 1024;
        private long maxFileSizeBytes = 25L * 1024 * 1024;
        private boolean reuseSandbox = true;
        private Duration codeStepTimeout = Duration.ofSeconds(30);
        private long statementLimit = 100_000_000L;
        private HttpClient httpClient;

        /** Flow run limit (AP_FLOW_TIMEOUT_SECONDS, default 600 s): past it the run ends TIMEOUT. */
        public Builder flowTimeout(Duration value) {
            this.flowTimeout = requirePositive(value, "flowTimeout");
            return this;
        }

        /** Run log limit in bytes (AP_MAX_FLOW_RUN_LOG_SIZE_MB, default 50 MiB): past it LOG_SIZE_EXCEEDED. */
        public Builder maxRunLogBytes(long value) {
            if (value <= 0) {
                throw new IllegalArgumentException("maxRunLogBytes must be positive");
            }
            this.maxRunLogBytes = value;
            return this;
        }

        /**
         * Largest http_request response body or step output in bytes (AP_MAX_FILE_SIZE_MB, default 25 MiB): over
         * it the step fails with an error naming the limit.
         */
        public Builder maxFileSizeBytes(long value) {
            if (value <= 0) {
                throw new IllegalArgumentException("maxFileSizeBytes must be positive");
            }
            this.maxFileSizeBytes = value;
            return this;
        }

        /** AP_REUSE_SANDBOX (default true): prepare fresh JS contexts ahead (each run still gets its own). */
        public Builder reuseSandbox(boolean value) {
            this.reuseSandbox = value;
            return this;
        }

        /** Wall-clock limit of one code step attempt (default 30 s; the flow limit also applies). */
        public Builder codeStepTimeout(Duration value) {
            this.codeStepTimeout = requirePositive(value, "codeStepTimeout");
            return this;
        }

        /** JS statements one code step attempt may execute (default 100,000,000). */
        public Builder statementLimit(long value) {
            if (value <= 0) {
                throw new IllegalArgumentException("statementLimit must be positive");
            }
            this.statementLimit = value;
            return this;
        }

        /** The client of HTTP request steps (default: JDK client, 10 s connect timeout, follows redirects). */
        public Builder httpClient(HttpClient value) {
            this.httpClient = value;
            return this;
        }

        public FlowEngine build() {
            return new FlowEngine(this);
        }

        private static Duration requirePositive(Duration d, String name) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException(name + " must be positive");
            }
            return d;
        }
    }
}
