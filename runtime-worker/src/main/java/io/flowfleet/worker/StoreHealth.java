package io.flowfleet.worker;

import io.flowfleet.core.store.RunStore;
import io.flowfleet.core.store.StoreException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

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
    private static final int PROBE_TIMEOUT_SECONDS = 2;

    private final RunStore runs;
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile boolean down;
    private volatile long lastProbeNanos;

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

    /** Asks Postgres now and records the answer. */
    void probe() {
        lastProbeNanos = System.nanoTime();
        try {
            runs.ping(PROBE_TIMEOUT_SECONDS);
            up();
        } catch (RuntimeException e) {
            failed(e);
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
