package io.flowfleet.worker;

import io.flowfleet.core.store.RunStore;
import io.flowfleet.core.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import java.sql.SQLTransientConnectionException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether Postgres is reachable, as this worker last saw it: a claim, result or heartbeat that failed
 * marks it down, one that succeeded marks it up. While it is down the slots read no job (a job read
 * then would only have its claim fail), and a probe at most every {@value #PROBE_EVERY_MS} ms finds
 * out when it is back.
 */
@Component
public class StoreHealth {
    private static final Logger LOG = LoggerFactory.getLogger(StoreHealth.class);
    static final long PROBE_EVERY_MS = 1_000;
    static final int PROBE_TIMEOUT_SECONDS = 2;

    private final RunStore runs;
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile boolean down;
    private volatile long lastProbeNanos;
    private final ExecutorService pinger = Executors.newVirtualThreadPerTaskExecutor();
    private CompletableFuture<Void> pinging;

    public StoreHealth(RunStore runs) {
        this.runs = runs;
    }

    /** True unless Postgres is known to be unreachable; probes it (on one caller at a time) when due. */
    boolean available() {
        if (!down) return true;
        if (System.nanoTime() - lastProbeNanos >= PROBE_EVERY_MS * 1_000_000 && probing.compareAndSet(false, true)) {
            try {
                probe();
            } finally {
                probing.set(false);
            }
        }
        return !down;
    }

    /**
     * Asks Postgres now and records the answer; no answer within {@value #PROBE_TIMEOUT_SECONDS} s
     * counts as down (the pool itself would wait up to its connection timeout). A ping still under
     * way is waited for again rather than doubled.
     */
    void probe() {
        lastProbeNanos = System.nanoTime();
        CompletableFuture<Void> ping;
        synchronized (this) {
            if (pinging == null || pinging.isDone()) pinging = CompletableFuture.runAsync(() -> runs.ping(PROBE_TIMEOUT_SECONDS), pinger);
            ping = pinging;
        }
        try {
            ping.get(PROBE_TIMEOUT_SECONDS, TimeUnit.SECONDS);
            up();
        } catch (TimeoutException e) {
            down(new StoreException("pinging Postgres", new SQLTransientConnectionException("no answer within " + PROBE_TIMEOUT_SECONDS + " s")));
        } catch (ExecutionException e) {
            failed(e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isDown() {
        return down;
    }

    /** Records a failed call: Postgres is down when it could not be reached (not when it refused a statement). */
    void failed(RuntimeException cause) {
        if (cause instanceof StoreException e && !e.unavailable()) return;
        down(cause);
    }

    void down(RuntimeException cause) {
        if (!down) {
            down = true;
            lastProbeNanos = System.nanoTime();
            LOG.warn("Postgres is unreachable ({}): taking no jobs until it answers again", cause.getMessage());
        }
    }

    void up() {
        if (down) {
            down = false;
            LOG.info("Postgres answers again: taking jobs");
        }
    }
}
