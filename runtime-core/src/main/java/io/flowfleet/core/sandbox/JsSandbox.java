package io.flowfleet.core.sandbox;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.OutputStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingDeque;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The GraalVM JavaScript sandbox of code steps. One per process: it owns the shared polyglot
 * {@link Engine} (parsed and compiled code is shared by all contexts), the cache of compiled sources,
 * the contexts prepared ahead and the watchdog thread.
 *
 * <p><b>Isolation.</b> A context serves one run and is closed at its end; no realm a run could touch is
 * ever used by another run. The engine and the compiled code are what is reused. With reuse on, fresh
 * contexts are prepared ahead by a background thread (and used ones closed there), so a warm run only
 * evaluates its cached module and calls it. Each call evaluates the step's code as an ES module anew, so
 * its top-level state starts fresh every call, and the module cannot import anything.
 *
 * <p>Guest code gets no host class access, no file/network/process access, no threads, no native access,
 * no environment. Each call is bounded by a statement limit, a wall-clock watchdog (interrupt, then
 * cancel) and the JVM-wide {@link MemoryGuard}; typed arrays and strings are capped at an eighth of the
 * heap so that no single allocation can exhaust it.
 */
public final class JsSandbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JsSandbox.class);
    private static final int MAX_CACHED_SOURCES = 10_000;
    private static final int MAX_SPARES = 64;
    private static final Duration INTERRUPT_GRACE = Duration.ofSeconds(2);
    /** Largest typed array / ArrayBuffer (bytes) and string (chars) code may create: an eighth of the heap. */
    static final long ALLOCATION_CAP = Math.max(1 << 20, Math.min(Integer.MAX_VALUE - 8, Runtime.getRuntime().maxMemory() / 8));

    private static final String PRELUDE_NAME = "flowfleet-prelude.js";
    private static final Pattern CAPPED_ALLOCATION = Pattern.compile(
            "^RangeError: (Array buffer allocation failed|Invalid string length|Invalid typed array length: \\d+)");

    /**
     * Removes the shell and interop globals, then returns the function that runs one code call: it
     * calls the module's export with the parsed inputs and settles into a box (Promise jobs run before
     * the host call returns).
     */
    private static final Source PRELUDE = Source.newBuilder("js", """
            (function () {
              'use strict';
              for (const name of ['load', 'loadWithNewGlobal', 'quit', 'exit', 'read', 'readbuffer', 'readline',
                                  'print', 'printErr', 'Java', 'Packages', 'java', 'javax', 'com', 'org', 'edu', 'net',
                                  'Polyglot', 'Graal', 'javafx', 'eval', 'FinalizationRegistry']) {
                try { delete globalThis[name]; } catch (e) { /* not configurable: stays, and stays unusable */ }
              }
              // Everything the runner uses is taken now, before any code: the code may replace any
              // intrinsic (String.prototype.split, Array[Symbol.species], Promise, JSON...) before it returns.
              const apply = Reflect.apply, parse = JSON.parse, stringify = JSON.stringify, toText = String;
              const PromiseIntrinsic = Promise, promiseResolve = Promise.resolve, promiseThen = Promise.prototype.then;
              const indexOf = String.prototype.indexOf, slice = String.prototype.slice, NotAFunction = TypeError;
              const resolve = (v) => apply(promiseResolve, PromiseIntrinsic, [v]);
              // Always a string, whatever the code dressed its error in (its getters run here, within the call's limits).
              const text = (v) => {
                try {
                  const s = typeof v === 'string' ? v : toText(v);
                  return typeof s === 'string' ? s : 'non-printable error';
                } catch (x) { return 'non-printable error'; }
              };
              const withoutPrelude = (stack) => {
                let out = null;
                for (let from = 0; from <= stack.length;) {
                  let end = apply(indexOf, stack, ['\\n', from]);
                  if (end < 0) end = stack.length;
                  const line = apply(slice, stack, [from, end]);
                  if (apply(indexOf, line, ['flowfleet-prelude.js']) < 0) out = out === null ? line : out + '\\n' + line;
                  from = end + 1;
                }
                return out === null ? '' : out;
              };
              const describe = (e) => {
                try {
                  const stack = e !== null && typeof e === 'object' ? e.stack : undefined;
                  if (typeof stack === 'string' && stack.length > 0) {
                    const kept = withoutPrelude(stack);
                    return apply(indexOf, kept, [text(e.message)]) >= 0 ? kept : text(e) + '\\n' + kept;
                  }
                } catch (x) { /* a throwing stack or message getter: the error's own text below */ }
                return text(e);
              };
              return function run(code, inputsJson) {
                const box = { done: false, ok: false, json: null, error: null };
                const fail = (e) => { box.done = true; box.ok = false; box.error = describe(e); };
                const succeed = (r) => {
                  try {
                    const json = r === undefined ? 'null' : stringify(r);
                    box.json = typeof json === 'string' ? json : 'null';
                    box.ok = true;
                    box.done = true;
                  } catch (e) { fail(e); }
                };
                try {
                  if (typeof code !== 'function') {
                    throw new NotAFunction('the code must export a function named code: export const code = async (inputs) => { ... }');
                  }
                  apply(promiseThen, resolve(code(parse(inputsJson))), [succeed, fail]);
                } catch (e) { fail(e); }
                return box;
              };
            })()
            """, PRELUDE_NAME).cached(true).buildLiteral();

    private final SandboxOptions options;
    private volatile Engine engine;
    private final ResourceLimits limits;
    private volatile boolean optimizing;
    private final Map<String, CachedSource> sources = new ConcurrentHashMap<>();
    /** Fresh contexts, never used, ready for the next runs (reuse on). */
    private final LinkedBlockingDeque<RunContext> spares = new LinkedBlockingDeque<>();
    private final AtomicInteger sparesWanted = new AtomicInteger(1);
    private final AtomicInteger sparesPending = new AtomicInteger();
    private final AtomicInteger inUse = new AtomicInteger();
    /** Prepares spares and closes used contexts, off the runs' threads. */
    private final ThreadPoolExecutor background;
    private final ScheduledExecutorService watchdog;
    private final MemoryGuard memoryGuard = MemoryGuard.get();
    private final AtomicLong contextsCreated = new AtomicLong();
    private final AtomicLong createdOnDemand = new AtomicLong();
    private volatile boolean closed;

    public JsSandbox(SandboxOptions options) {
        this.options = options;
        // Count the flows' code only, not the prelude.
        this.limits = ResourceLimits.newBuilder()
                .statementLimit(options.statementLimit(), source -> !PRELUDE_NAME.equals(source.getName()))
                .build();
        AtomicInteger threads = new AtomicInteger();
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> daemon(r, "flowfleet-js-watchdog-" + threads.incrementAndGet()));
        // A call that ends in time cancels its alarm: drop it from the queue at once rather than
        // keeping it (and its context) until its deadline.
        timer.setRemoveOnCancelPolicy(true);
        this.watchdog = timer;
        this.background = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new java.util.concurrent.LinkedBlockingQueue<>(),
                r -> daemon(r, "flowfleet-js-contexts"));
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** The shared polyglot engine, created on first use (a flow without code never pays for it). */
    private Engine engine() {
        Engine e = engine;
        if (e == null) {
            synchronized (this) {
                e = engine;
                if (e == null) {
                    if (closed) {
                        throw new IllegalStateException("the JS sandbox is closed");
                    }
                    e = Engine.newBuilder("js")
                            .option("engine.WarnInterpreterOnly", "false")
                            .out(OutputStream.nullOutputStream())
                            .err(OutputStream.nullOutputStream())
                            .build();
                    String implementation = e.getImplementationName();
                    optimizing = !implementation.toLowerCase(java.util.Locale.ROOT).contains("interpreted");
                    String model = options.reuseContexts() ? "a fresh context per run, prepared ahead"
                            : "a fresh context per run, created on demand";
                    if (optimizing) {
                        log.info("GraalVM JS sandbox: optimizing runtime ({}); {}", implementation, model);
                    } else {
                        log.info("GraalVM JS sandbox: interpreter fallback ({}): the optimizing runtime needs JDK 25 "
                                + "with the polyglot jars on the module path and the GraalVM compiler on the upgrade "
                                + "module path (docs/flows.md); {}", implementation, model);
                    }
                    engine = e;
                }
            }
        }
        return e;
    }

    /**
     * Creates the engine, runs one call (the first context in a JVM costs ~0.7 s on 2 cores) and
     * prepares a spare context, so that the first run does not pay for them. Call once at worker start.
     */
    public void warmUp() {
        try (Session session = openSession()) {
            session.call(compile(null, "warm-up", "export const code = async (inputs) => inputs.n + 1;"),
                    "{\"n\":1}", Duration.ofSeconds(30));
        } catch (CodeException e) {
            throw new IllegalStateException("the JS sandbox failed its warm-up call: " + e.getMessage());
        }
        if (options.reuseContexts()) {
            topUpSpares();
            awaitBackground();
        }
    }

    /** "optimizing" or "interpreter" (creates the engine if needed). */
    public String runtimeName() {
        engine();
        return optimizing ? "optimizing" : "interpreter";
    }

    public boolean optimizing() {
        engine();
        return optimizing;
    }

    /** A code step's code, loaded as an ES module; opaque outside the sandbox. */
    public static final class Code {
        private final Source source;

        private Code(Source source) {
            this.source = source;
        }

        /** The name stacks show, e.g. {@code flowId@3/step_2.js}. */
        public String name() {
            return source.getName();
        }
    }

    /**
     * The module form of a code step, cached: by {@code cacheKey/stepName} when a key is given
     * (e.g. flowId:version), else by the code text. Parsing happens once per engine, on first use.
     */
    public Code compile(String cacheKey, String stepName, String code) {
        String key = cacheKey != null ? cacheKey + "/" + stepName : "code:" + code;
        CachedSource cached = sources.get(key);
        if (cached != null && (cached.text == code || cached.text.equals(code))) {
            return cached.code;
        }
        if (sources.size() >= MAX_CACHED_SOURCES) {
            sources.clear();
        }
        String name = (cacheKey != null ? cacheKey.replace(':', '@') + "/" : "") + stepName + ".js";
        Code compiled = new Code(CodeSyntax.module(code, name, true));
        sources.put(key, new CachedSource(code, compiled));
        return compiled;
    }

    /** A run's use of the sandbox: takes a fresh context on its first call, closes it at the end. */
    public Session openSession() {
        return new Session();
    }

    @Override
    public void close() {
        closed = true;
        watchdog.shutdownNow();
        background.shutdownNow();
        RunContext rc;
        while ((rc = spares.poll()) != null) {
            rc.close();
        }
        synchronized (this) {
            if (engine != null) {
                engine.close(true);
            }
        }
    }

    /** Contexts created so far: one per run that called code (plus the spares prepared ahead). */
    public long contextsCreated() {
        return contextsCreated.get();
    }

    private RunContext take() {
        int busy = inUse.incrementAndGet();
        try {
            if (!options.reuseContexts()) {
                return new RunContext(newContext());
            }
            // Keep as many spares as runs have called code at once (the slots in use), within a bound.
            sparesWanted.accumulateAndGet(Math.min(busy, MAX_SPARES), Math::max);
            RunContext rc = spares.poll();
            topUpSpares();
            if (rc == null) {
                createdOnDemand.incrementAndGet();
                return new RunContext(newContext());
            }
            return rc;
        } catch (RuntimeException e) {
            inUse.decrementAndGet();
            throw e;
        }
    }

    private void giveUp(RunContext rc) {
        inUse.decrementAndGet();
        if (options.reuseContexts() && !closed) {
            try {
                background.execute(rc::close);
                return;
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // shutting down: close here
            }
        }
        rc.close();
    }

    private void topUpSpares() {
        while (!closed && spares.size() + sparesPending.get() < sparesWanted.get()) {
            sparesPending.incrementAndGet();
            try {
                background.execute(() -> {
                    try {
                        if (!closed) {
                            spares.add(new RunContext(newContext()));
                        }
                    } catch (RuntimeException e) {
                        log.warn("preparing a JS context failed: {}", e.toString());
                    } finally {
                        sparesPending.decrementAndGet();
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                sparesPending.decrementAndGet();
                return;
            }
        }
    }

    /** Waits until the background thread has done what it was given (warm-up, tests). */
    void awaitBackground() {
        try {
            background.submit(() -> { }).get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("waiting for the JS context thread failed", e);
        }
    }

    /** Runs that found no spare ready and created their context themselves (reuse on). */
    public long contextsCreatedOnDemand() {
        return createdOnDemand.get();
    }

    /** Spare contexts ready now (tests). */
    int spareCount() {
        return spares.size();
    }

    private Context newContext() {
        contextsCreated.incrementAndGet();
        return Context.newBuilder("js")
                .engine(engine())
                .allowHostAccess(HostAccess.NONE)
                .allowHostClassLookup(className -> false)
                .allowHostClassLoading(false)
                .allowIO(IOAccess.newBuilder().fileSystem(new ModuleAccessDenied()).build())
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowInnerContextOptions(false)
                .allowValueSharing(false)
                .allowExperimentalOptions(true)
                .option("js.esm-eval-returns-exports", "true")
                .option("js.regexp-static-result", "false")      // no RegExp.$1 / RegExp.input / lastMatch
                .option("js.load", "false")
                .option("js.print", "false")
                .option("js.graal-builtin", "false")
                .option("js.polyglot-builtin", "false")
                .option("js.java-package-globals", "false")
                .option("js.max-typed-array-length", Long.toString(ALLOCATION_CAP))
                .option("js.string-length-limit", Long.toString(ALLOCATION_CAP))
                .resourceLimits(limits)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .build();
    }

    private record CachedSource(String text, Code code) {
    }

    /** A fresh context with the prelude applied; serves one run. */
    private static final class RunContext {
        final Context context;
        final Value runner;
        boolean usable = true;

        RunContext(Context context) {
            this.context = context;
            try {
                this.runner = context.eval(PRELUDE);
            } catch (RuntimeException e) {
                context.close(true);
                throw e;
            }
        }

        void close() {
            try {
                context.close(true);
            } catch (RuntimeException e) {
                log.debug("closing a JS context failed", e);
            }
        }
    }

    /** One run's access to the sandbox; not thread-safe (a run is on one thread). */
    public final class Session implements AutoCloseable {
        private RunContext current;

        private Session() {
        }

        /**
         * Evaluates the code's module anew in this run's context and calls its {@code code} export (or
         * its default export) with {@code inputs}; returns the (awaited) result as JSON text.
         *
         * @param code      from {@link #compile}
         * @param inputJson the step's resolved input, as JSON text
         * @param timeout   wall-clock limit of this call (at most the sandbox's call timeout)
         */
        public String call(Code code, String inputJson, Duration timeout) throws CodeException {
            if (closed) {
                throw new IllegalStateException("the JS sandbox is closed");
            }
            if (current == null) {
                current = take();
            }
            RunContext rc = current;
            Duration limit = timeout.compareTo(options.callTimeout()) < 0 ? timeout : options.callTimeout();
            Watch watch = new Watch(rc.context);
            ScheduledFuture<?> alarm = watchdog.schedule(watch, Math.max(1, limit.toMillis()), TimeUnit.MILLISECONDS);
            MemoryGuard.RunningCall guarded = memoryGuard == null ? null : memoryGuard.enter(rc.context);
            try {
                rc.context.resetLimits();
                Value exports = rc.context.eval(code.source);
                Value function = exports.hasMember("code") ? exports.getMember("code") : exports.getMember("default");
                return settle(rc.runner.execute(function, inputJson));
            } catch (PolyglotException e) {
                throw translate(e, rc, watch, guarded, limit, code);
            } catch (IllegalStateException e) {
                // The context was closed under the call (memory guard or watchdog cancel) between two guest operations.
                if ((guarded != null && guarded.cancelled) || watch.fired) {
                    rc.usable = false;
                    throw guarded != null && guarded.cancelled ? memoryLimit() : timedOut(limit);
                }
                throw e;
            } finally {
                if (guarded != null) {
                    memoryGuard.exit(guarded);
                }
                if (!watch.finish()) {
                    rc.usable = false; // an interrupt raced with the end of the call
                }
                alarm.cancel(false);
                if (!rc.usable) {
                    current = null; // a later code step of this run gets a fresh context
                    giveUp(rc);
                }
            }
        }

        private String settle(Value box) throws CodeException {
            // Promise jobs have run when execute returned: an async code that awaited only
            // resolved values is done; one still pending waits on something that never comes.
            if (!box.getMember("done").asBoolean()) {
                throw new CodeException(CodeException.Kind.BAD_RESULT,
                        "the code's promise never settled (no timers or I/O exist in the sandbox)");
            }
            if (!box.getMember("ok").asBoolean()) {
                Value reported = box.getMember("error");
                String error = reported.isString() ? reported.asString() : "non-printable error";
                Matcher capped = CAPPED_ALLOCATION.matcher(error);
                if (capped.find()) {
                    throw new CodeException(CodeException.Kind.MEMORY_LIMIT, "code stopped: it asked for more memory than a "
                            + "code step may allocate at once (" + (ALLOCATION_CAP >> 20) + " MiB or chars): " + error);
                }
                throw new CodeException(CodeException.Kind.ERROR, error);
            }
            Value json = box.getMember("json");
            if (!json.isString()) {
                throw new CodeException(CodeException.Kind.BAD_RESULT, "the code's result is not JSON");
            }
            return json.asString();
        }

        private CodeException translate(PolyglotException e, RunContext rc, Watch watch, MemoryGuard.RunningCall guarded,
                                        Duration limit, Code code) {
            if (guarded != null && guarded.cancelled) {
                rc.usable = false;
                return memoryLimit();
            }
            if (e.isResourceExhausted()) {
                rc.usable = false;
                String message = String.valueOf(e.getMessage());
                if (message.contains("Statement count limit")) {
                    return new CodeException(CodeException.Kind.STATEMENT_LIMIT,
                            "code stopped: it executed more than " + options.statementLimit() + " statements");
                }
                return new CodeException(CodeException.Kind.MEMORY_LIMIT, "code stopped: the JVM ran out of memory ("
                        + message + ")");
            }
            if (e.isInterrupted() || e.isCancelled() || watch.fired) {
                rc.usable = false;
                return timedOut(limit);
            }
            if (e.isInternalError() || e.isExit()) {
                rc.usable = false;
            }
            if (e.isSyntaxError()) {
                return new CodeException(CodeException.Kind.ERROR, "SyntaxError: " + CodeSyntax.describe(e, code.name()));
            }
            return new CodeException(CodeException.Kind.ERROR, withGuestStack(e));
        }

        private CodeException memoryLimit() {
            return new CodeException(CodeException.Kind.MEMORY_LIMIT, "code stopped: the heap passed "
                    + Math.round(MemoryGuard.THRESHOLD * 100) + "% of its old generation while this code was the one allocating the most");
        }

        private CodeException timedOut(Duration limit) {
            return new CodeException(CodeException.Kind.TIMEOUT, "code stopped: it ran longer than " + limit.toMillis() + " ms");
        }

        /** Closes this run's context (in the background when reuse is on). */
        @Override
        public void close() {
            if (current != null) {
                RunContext rc = current;
                current = null;
                giveUp(rc);
            }
        }
    }

    /** An error thrown while the module itself ran (top level): its message and where, in the user's code. */
    private static String withGuestStack(PolyglotException e) {
        StringBuilder out = new StringBuilder(String.valueOf(e.getMessage()));
        for (PolyglotException.StackFrame frame : e.getPolyglotStackTrace()) {
            SourceSection at = frame.getSourceLocation();
            if (!frame.isGuestFrame() || at == null || PRELUDE_NAME.equals(at.getSource().getName())) {
                continue;
            }
            String root = frame.getRootName();
            String function = root == null || root.isEmpty() || root.startsWith(":") ? "<module>" : root; // ":module:eval"
            out.append("\n    at ").append(function).append(" (").append(at.getSource().getName()).append(':')
                    .append(at.getStartLine()).append(':').append(at.getStartColumn()).append(')');
        }
        return out.toString();
    }

    /** The watchdog's alarm for one call: interrupt, and if that does not stop it, cancel the context. */
    private static final class Watch implements Runnable {
        private final Context context;
        private boolean done;
        volatile boolean fired;

        Watch(Context context) {
            this.context = context;
        }

        /** Marks the call finished; false when the alarm went off first. */
        synchronized boolean finish() {
            done = true;
            return !fired;
        }

        @Override
        public void run() {
            synchronized (this) {
                if (done) {
                    return;
                }
                fired = true;
            }
            try {
                context.interrupt(INTERRUPT_GRACE);
            } catch (TimeoutException e) {
                log.warn("JS code ignored the interrupt for {}; cancelling its context", INTERRUPT_GRACE);
                context.close(true);
            } catch (RuntimeException e) {
                log.debug("interrupting a JS context failed", e);
            }
        }
    }
}
