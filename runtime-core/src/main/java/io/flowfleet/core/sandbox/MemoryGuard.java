package io.flowfleet.core.sandbox;

import org.graalvm.polyglot.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.management.NotificationEmitter;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryNotificationInfo;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The heap guard of code steps, one per JVM. GraalJS Community edition cannot bound a context's heap,
 * so this watches the tenured (old) heap pool through the JDK's memory MXBeans: a usage threshold and a
 * collection-usage threshold (both checked by the JVM at the end of each GC; notifications), backed by a
 * poll every {@value #POLL_MILLIS} ms while code runs. When the pool passes the threshold, the running
 * code call that allocated the most since it started (per-thread allocated bytes) is cancelled
 * ({@code Context.close(true)}) and fails with {@link CodeException.Kind#MEMORY_LIMIT}, before the JVM
 * runs out (which, with {@code -XX:+ExitOnOutOfMemoryError}, would kill the worker). Works with the
 * Serial, Parallel and G1 collectors ("Tenured Gen", "PS Old Gen", "G1 Old Gen").
 *
 * <p>A call is only cancelled when it allocated at least a tenth of the pool since it started, so that
 * a heap filled by something else does not cancel small innocent code; after a cancel the guard waits
 * for a GC before it cancels anything else.
 */
final class MemoryGuard {
    private static final Logger log = LoggerFactory.getLogger(MemoryGuard.class);
    /** Fraction of the tenured pool's maximum past which the biggest allocator is cancelled. */
    static final double THRESHOLD = Double.parseDouble(System.getProperty("flowfleet.sandbox.heapThreshold", "0.75"));
    private static final long POLL_MILLIS = 2;
    private static volatile MemoryGuard instance;

    private final MemoryPoolMXBean pool;
    private final long threshold;
    private final long minimumCulprit;
    private final com.sun.management.ThreadMXBean threads;
    private final Set<RunningCall> running = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService worker;
    private volatile long gcCountAtLastCancel = -1;

    /** One code call in progress, as the guard sees it. */
    static final class RunningCall {
        final Thread thread;
        final Context context;
        final long allocatedAtStart;
        volatile boolean cancelled;

        RunningCall(Thread thread, Context context, long allocatedAtStart) {
            this.thread = thread;
            this.context = context;
            this.allocatedAtStart = allocatedAtStart;
        }
    }

    private MemoryGuard(MemoryPoolMXBean pool) {
        this.pool = pool;
        long max = pool.getUsage().getMax() > 0 ? pool.getUsage().getMax() : Runtime.getRuntime().maxMemory();
        this.threshold = (long) (max * THRESHOLD);
        this.minimumCulprit = max / 10;
        java.lang.management.ThreadMXBean t = ManagementFactory.getThreadMXBean();
        this.threads = t instanceof com.sun.management.ThreadMXBean sun && sun.isThreadAllocatedMemorySupported() ? sun : null;
        if (threads != null && !threads.isThreadAllocatedMemoryEnabled()) {
            threads.setThreadAllocatedMemoryEnabled(true);
        }
        pool.setUsageThreshold(threshold);
        if (pool.isCollectionUsageThresholdSupported()) {
            pool.setCollectionUsageThreshold(threshold);
        }
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "flowfleet-js-memory-guard");
            thread.setDaemon(true);
            thread.setPriority(Thread.MAX_PRIORITY); // it races the code's next young collection
            return thread;
        });
        this.worker = executor;
        ((NotificationEmitter) ManagementFactory.getMemoryMXBean()).addNotificationListener((notification, handback) -> {
            String type = notification.getType();
            if (MemoryNotificationInfo.MEMORY_THRESHOLD_EXCEEDED.equals(type)
                    || MemoryNotificationInfo.MEMORY_COLLECTION_THRESHOLD_EXCEEDED.equals(type)) {
                worker.execute(this::relieve);
            }
        }, null, null);
        executor.scheduleWithFixedDelay(this::poll, POLL_MILLIS, POLL_MILLIS, TimeUnit.MILLISECONDS);
        log.info("JS memory guard: code is cancelled when {} passes {} MB ({}% of {} MB)", pool.getName(),
                threshold >> 20, Math.round(THRESHOLD * 100), max >> 20);
    }

    /**
     * The guard of this JVM, or null when it is turned off ({@code -Dflowfleet.sandbox.memoryGuard=false}) or
     * no tenured heap pool with thresholds exists (e.g. Epsilon, ZGC).
     */
    static MemoryGuard get() {
        MemoryGuard g = instance;
        if (g == null) {
            synchronized (MemoryGuard.class) {
                g = instance;
                if (g == null) {
                    if (!Boolean.parseBoolean(System.getProperty("flowfleet.sandbox.memoryGuard", "true"))) {
                        log.warn("JS memory guard off (-Dflowfleet.sandbox.memoryGuard=false)");
                        return null;
                    }
                    MemoryPoolMXBean tenured = tenuredPool();
                    if (tenured == null) {
                        log.warn("JS memory guard off: no tenured heap pool with a usage threshold in this JVM");
                        return null;
                    }
                    g = instance = new MemoryGuard(tenured);
                }
            }
        }
        return g;
    }

    private static MemoryPoolMXBean tenuredPool() {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            String name = p.getName().toLowerCase(Locale.ROOT);
            if (p.getType() == MemoryType.HEAP && p.isUsageThresholdSupported()
                    && (name.contains("old") || name.contains("tenured"))) {
                return p;
            }
        }
        return null;
    }

    RunningCall enter(Context context) {
        Thread thread = Thread.currentThread();
        RunningCall call = new RunningCall(thread, context, allocated(thread));
        running.add(call);
        return call;
    }

    void exit(RunningCall call) {
        running.remove(call);
    }

    long thresholdBytes() {
        return threshold;
    }

    private long allocated(Thread thread) {
        return threads == null ? 0 : threads.getThreadAllocatedBytes(thread.threadId());
    }

    private void poll() {
        if (!running.isEmpty() && pool.getUsage().getUsed() >= threshold) {
            relieve();
        }
    }

    /** Runs on the guard's thread: cancels the biggest allocator when the pool is over the threshold. */
    private void relieve() {
        if (running.isEmpty() || pool.getUsage().getUsed() < threshold) {
            return;
        }
        long gcs = gcCount();
        if (gcCountAtLastCancel >= 0 && gcs <= gcCountAtLastCancel) {
            return; // the memory of the last cancelled call has not been collected yet
        }
        RunningCall culprit = null;
        long most = -1;
        for (RunningCall call : running) {
            long bytes = threads == null ? Long.MAX_VALUE : allocated(call.thread) - call.allocatedAtStart;
            if (!call.cancelled && bytes > most) {
                most = bytes;
                culprit = call;
            }
        }
        if (culprit == null) {
            return;
        }
        if (most < minimumCulprit) {
            log.warn("heap pool {} is over {} MB but no running code allocated {} MB or more: nothing cancelled",
                    pool.getName(), threshold >> 20, minimumCulprit >> 20);
            return;
        }
        culprit.cancelled = true;
        gcCountAtLastCancel = gcs;
        log.warn("heap pool {} passed {} MB: cancelling the code step that allocated {} MB", pool.getName(),
                threshold >> 20, most >> 20);
        try {
            culprit.context.close(true);
        } catch (RuntimeException e) {
            log.debug("cancelling a JS context failed", e);
        }
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }
}
