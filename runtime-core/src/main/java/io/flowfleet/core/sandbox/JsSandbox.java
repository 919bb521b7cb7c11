package io.flowfleet.core.sandbox;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.HostAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.OutputStream;
import java.time.Duration;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The GraalVM JavaScript sandbox of code steps. One per process: it owns the shared polyglot
 * {@link Engine} (compiled code is shared between contexts), the cache of compiled sources, a pool
 * of idle contexts (when reuse is on) and the watchdog thread.
 *
 * <p>Guest code gets no host class access, no file/network/process access (IO none, no host
 * lookups), no threads, no native access, no environment. Each call is bounded by a statement
 * limit and a wall-clock watchdog (interrupt, then cancel). Before any code runs in a context every
 * object reachable from {@code globalThis} is frozen and each call builds the code's module scope
 * anew, so a reused context carries no state from one run to the next.
 */
public final class JsSandbox implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(JsSandbox.class);
    private static final int MAX_CACHED_SOURCES = 10_000;
    private static final int MAX_FACTORIES_PER_CONTEXT = 512;
    private static final Duration INTERRUPT_GRACE = Duration.ofSeconds(2);

    private static final String PRELUDE_NAME = "flowfleet-prelude.js";

    /** Locks the context down, then returns the function that runs one code call. */
    private static final Source PRELUDE = Source.newBuilder("js", """
            (function () {
              'use strict';
              for (const name of ['load', 'loadWithNewGlobal', 'quit', 'exit', 'read', 'readbuffer', 'readline',
                                  'print', 'printErr', 'Java', 'Packages', 'java', 'javax', 'com', 'org', 'edu', 'net',
                                  'Polyglot', 'Graal', 'javafx',
                                  // indirect eval runs global code, whose let/class bindings would outlive a run;
                                  // finalization callbacks would run during a later run
                                  'eval', 'FinalizationRegistry']) {
                try { delete globalThis[name]; } catch (e) { /* not configurable: stays, and stays unusable */ }
              }
              const describe = (e) => {
                if (e !== null && typeof e === 'object' && typeof e.stack === 'string' && e.stack.length > 0) {
                  const stack = e.stack.split('\\n').filter((line) => !line.includes('flowfleet-prelude.js')).join('\\n');
                  return stack.includes(String(e.message)) ? stack : String(e) + '\\n' + stack;
                }
                try { return String(e); } catch (x) { return 'non-printable error'; }
              };
              const run = function (factory, inputsJson) {
                const box = { done: false, ok: false, json: null, error: null };
                const fail = (e) => { box.done = true; box.ok = false; box.error = describe(e); };
                const succeed = (r) => {
                  try {
                    const json = r === undefined ? 'null' : JSON.stringify(r);
                    box.json = json === undefined ? 'null' : json;
                    box.ok = true;
                    box.done = true;
                  } catch (e) { fail(e); }
                };
                try {
                  const code = factory();
                  if (typeof code !== 'function') {
                    throw new TypeError('the code must export a function named code: export const code = async (inputs) => { ... }');
                  }
                  Promise.resolve(code(JSON.parse(inputsJson))).then(succeed, fail);
                } catch (e) { fail(e); }
                return box;
              };
              const seen = new Set();
              const freeze = (o) => {
                if (o === null || (typeof o !== 'object' && typeof o !== 'function') || seen.has(o)) return;
                seen.add(o);
                Object.freeze(o);
                for (const key of Reflect.ownKeys(o)) {
                  const d = Object.getOwnPropertyDescriptor(o, key);
                  if (d === undefined) continue;
                  if ('value' in d) { freeze(d.value); } else { freeze(d.get); freeze(d.set); }
                }
                freeze(Object.getPrototypeOf(o));
              };
              freeze(globalThis);
              freeze(run);
              return run;
            })()
            """, PRELUDE_NAME).cached(true).buildLiteral();

    private final SandboxOptions options;
    private volatile Engine engine;
    private final ResourceLimits limits;
    private volatile boolean optimizing;
    private final Map<String, CachedSource> sources = new ConcurrentHashMap<>();
    private final ConcurrentLinkedDeque<PooledContext> idle = new ConcurrentLinkedDeque<>();
    private final ScheduledExecutorService watchdog;
    private final java.util.concurrent.atomic.AtomicLong contextsCreated = new java.util.concurrent.atomic.AtomicLong();
    private volatile boolean closed;

    public JsSandbox(SandboxOptions options) {
        this.options = options;
        // Count the flows' code only, not the prelude (its freezing walk runs many statements per context).
        this.limits = ResourceLimits.newBuilder()
                .statementLimit(options.statementLimit(), source -> !PRELUDE_NAME.equals(source.getName()))
                .build();
        AtomicInteger threads = new AtomicInteger();
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "flowfleet-js-watchdog-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // A call that ends in time cancels its alarm: drop it from the queue at once rather than
        // keeping it (and its context) until its deadline.
        timer.setRemoveOnCancelPolicy(true);
        this.watchdog = timer;
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
                    if (optimizing) {
                        log.info("GraalVM JS sandbox: optimizing runtime ({}); context reuse {}", implementation,
                                options.reuseContexts() ? "on" : "off");
                    } else {
                        log.info("GraalVM JS sandbox: interpreter fallback ({}): the optimizing runtime needs JDK 25 "
                                + "with the polyglot jars on the module path and the GraalVM compiler on the upgrade "
                                + "module path (docs/flows.md); context reuse {}", implementation,
                                options.reuseContexts() ? "on" : "off");
                    }
                    engine = e;
                }
            }
        }
        return e;
    }

    /**
     * Creates the engine and one pooled context now, so that the first run does not pay for them
     * (~0.7 s on 2 cores). Call once at worker start.
     */
    public void warmUp() {
        try (Session session = openSession()) {
            session.call(compile(null, "warm-up", "export const code = async (inputs) => inputs.n + 1;"),
                    "{\"n\":1}", Duration.ofSeconds(30));
        } catch (CodeException e) {
            throw new IllegalStateException("the JS sandbox failed its warm-up call: " + e.getMessage());
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

    /**
     * The compiled form of a code step, cached: by {@code cacheKey/stepName} when a key is given
     * (e.g. flowId:version), else by the code text.
     */
    public Source compile(String cacheKey, String stepName, String code) {
        String key = cacheKey != null ? cacheKey + "/" + stepName : "code:" + code;
        CachedSource cached = sources.get(key);
        if (cached != null && (cached.code == code || cached.code.equals(code))) {
            return cached.source;
        }
        if (sources.size() >= MAX_CACHED_SOURCES) {
            sources.clear();
        }
        String name = (cacheKey != null ? cacheKey.replace(':', '@') + "/" : "") + stepName + ".js";
        Source source = Source.newBuilder("js", CodeWrapper.wrap(code), name).cached(true).buildLiteral();
        sources.put(key, new CachedSource(code, source));
        return source;
    }

    /** A run's use of the sandbox: borrows a context on first call, gives it back on close. */
    public Session openSession() {
        return new Session();
    }

    @Override
    public void close() {
        closed = true;
        watchdog.shutdownNow();
        PooledContext pc;
        while ((pc = idle.poll()) != null) {
            pc.close();
        }
        synchronized (this) {
            if (engine != null) {
                engine.close(true);
            }
        }
    }

    private PooledContext borrow() {
        if (options.reuseContexts()) {
            PooledContext pc = idle.poll();
            if (pc != null) {
                return pc;
            }
        }
        return new PooledContext(newContext());
    }

    private void giveBack(PooledContext pc) {
        if (options.reuseContexts() && pc.healthy && !closed) {
            idle.push(pc);
        } else {
            pc.close();
        }
    }

    /** Contexts created so far (a warm worker with reuse on creates one per concurrent run). */
    public long contextsCreated() {
        return contextsCreated.get();
    }

    private Context newContext() {
        contextsCreated.incrementAndGet();
        return Context.newBuilder("js")
                .engine(engine())
                .allowHostAccess(HostAccess.NONE)
                .allowHostClassLookup(className -> false)
                .allowHostClassLoading(false)
                .allowIO(IOAccess.NONE)
                .allowCreateThread(false)
                .allowCreateProcess(false)
                .allowNativeAccess(false)
                .allowEnvironmentAccess(EnvironmentAccess.NONE)
                .allowPolyglotAccess(PolyglotAccess.NONE)
                .allowInnerContextOptions(false)
                .allowValueSharing(false)
                .resourceLimits(limits)
                .out(OutputStream.nullOutputStream())
                .err(OutputStream.nullOutputStream())
                .build();
    }

    private record CachedSource(String code, Source source) {
    }

    /** A context with the prelude applied and the code factories it evaluated. */
    private static final class PooledContext {
        final Context context;
        final Value runner;
        final Map<Source, Value> factories = new IdentityHashMap<>();
        boolean healthy = true;

        PooledContext(Context context) {
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

    /** One run's access to a context; not thread-safe (a run is on one thread). */
    public final class Session implements AutoCloseable {
        private PooledContext current;

        private Session() {
        }

        /**
         * Calls {@code code(inputs)} and returns its (awaited) result as JSON text.
         *
         * @param source    from {@link #compile}
         * @param inputJson the step's resolved input, as JSON text
         * @param timeout   wall-clock limit of this call (at most the sandbox's call timeout)
         */
        public String call(Source source, String inputJson, Duration timeout) throws CodeException {
            if (closed) {
                throw new IllegalStateException("the JS sandbox is closed");
            }
            if (current == null) {
                current = borrow();
            }
            PooledContext pc = current;
            Duration limit = timeout.compareTo(options.callTimeout()) < 0 ? timeout : options.callTimeout();
            Watch watch = new Watch(pc.context);
            ScheduledFuture<?> alarm = watchdog.schedule(watch, Math.max(1, limit.toMillis()), TimeUnit.MILLISECONDS);
            try {
                pc.context.resetLimits();
                Value factory = pc.factories.get(source);
                if (factory == null) {
                    if (pc.factories.size() >= MAX_FACTORIES_PER_CONTEXT) {
                        pc.healthy = false; // used by many flows: retire it after this run
                    }
                    factory = pc.context.eval(source);
                    pc.factories.put(source, factory);
                }
                Value box = pc.runner.execute(factory, inputJson);
                // Promise jobs have run when execute returned: an async code that awaited only
                // resolved values is done; one still pending waits on something that never comes.
                if (!box.getMember("done").asBoolean()) {
                    throw new CodeException(CodeException.Kind.BAD_RESULT,
                            "the code's promise never settled (no timers or I/O exist in the sandbox)");
                }
                if (!box.getMember("ok").asBoolean()) {
                    throw new CodeException(CodeException.Kind.ERROR, box.getMember("error").asString());
                }
                return box.getMember("json").asString();
            } catch (PolyglotException e) {
                throw translate(e, pc, watch, limit);
            } finally {
                if (!watch.finish()) {
                    pc.healthy = false; // an interrupt raced with the end of the call: do not reuse the context
                }
                alarm.cancel(false);
            }
        }

        private CodeException translate(PolyglotException e, PooledContext pc, Watch watch, Duration limit) {
            if (e.isResourceExhausted()) {
                pc.healthy = false;
                return new CodeException(CodeException.Kind.STATEMENT_LIMIT,
                        "code stopped: it executed more than " + options.statementLimit() + " statements");
            }
            if (e.isInterrupted() || e.isCancelled() || watch.fired) {
                pc.healthy = false;
                return new CodeException(CodeException.Kind.TIMEOUT,
                        "code stopped: it ran longer than " + limit.toMillis() + " ms");
            }
            if (e.isInternalError() || e.isExit()) {
                pc.healthy = false;
            }
            if (e.isSyntaxError()) {
                return new CodeException(CodeException.Kind.ERROR, "SyntaxError: " + e.getMessage());
            }
            return new CodeException(CodeException.Kind.ERROR, e.getMessage());
        }

        /** Gives the context back to the pool (or closes it when reuse is off or it is unhealthy). */
        @Override
        public void close() {
            if (current != null) {
                PooledContext pc = current;
                current = null;
                giveBack(pc);
            }
        }
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
