package io.flowfleet.local;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Keeps app and worker processes running as a Kubernetes Deployment would: a process that exits
 * without having been asked to ({@link RuntimeProcess#stopRequested()}) is launched again, after a
 * back-off, with one line saying so:
 *
 * <pre>worker-2 exited (signal 9); restarting (restart 1)</pre>
 *
 * <p>Back-off: 1 s, doubled for each further exit within a minute of the last start, at most 30 s
 * (Kubernetes' CrashLoopBackOff, scaled down for one machine). A process that exits by SIGINT,
 * SIGTERM or SIGHUP is given a few seconds before it counts as a failure, in case the whole
 * platform is stopping (a signal sent to the process group); {@link #stop()} ends supervision.
 */
public final class ProcessSupervisor implements AutoCloseable {

    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    /** A process that ran this long before exiting restarts after the first back-off again. */
    static final Duration STABLE_AFTER = Duration.ofMinutes(1);
    private static final Duration STOP_SIGNAL_GRACE = Duration.ofSeconds(3);
    private static final long POLL_MILLIS = 200;

    private final List<Slot> slots = new CopyOnWriteArrayList<>();
    private final Consumer<String> console;
    private final Duration readyTimeout;
    private final Thread watcher;
    private volatile boolean stopping;

    public ProcessSupervisor(Consumer<String> console, Duration readyTimeout) {
        this.console = console;
        this.readyTimeout = readyTimeout;
        this.watcher = Thread.ofPlatform().daemon().name("flowfleet-supervisor").start(this::watch);
    }

    /** Supervises a started process from now on; returns its slot (which follows its restarts). */
    public Slot supervise(RuntimeProcess process) {
        Slot slot = new Slot(process);
        slots.add(slot);
        return slot;
    }

    /** The processes in their slots' order (each slot's latest launch, running or not). */
    public List<RuntimeProcess> current() {
        return slots.stream().map(Slot::process).toList();
    }

    public boolean stopping() {
        return stopping;
    }

    /**
     * Ends supervision: no process is launched again after this returns (a launch under way
     * finishes first, so {@link #current()} then names every process to stop).
     */
    public void stop() {
        stopping = true;
        watcher.interrupt();
        for (Slot slot : slots) {
            synchronized (slot) {
                // waits for a relaunch in progress on this slot
            }
        }
    }

    @Override
    public void close() {
        stop();
    }

    private void watch() {
        while (!stopping) {
            for (Slot slot : slots) {
                RuntimeProcess process = slot.process();
                if (!slot.restarting && !process.isAlive() && !process.stopRequested() && !stopping) {
                    slot.restarting = true;
                    Thread.ofVirtual().name("restart-" + process.name()).start(() -> restart(slot, process));
                }
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private void restart(Slot slot, RuntimeProcess exited) {
        try {
            int status = exited.exitValue();
            if (isStopSignal(status) && awaitStopping(STOP_SIGNAL_GRACE)) {
                return;
            }
            if (stopping) {
                return;
            }
            Duration backoff;
            int restart;
            synchronized (slot) {
                long ranNanos = System.nanoTime() - slot.startedNanos;
                slot.quickExits = ranNanos >= STABLE_AFTER.toNanos() ? 1 : slot.quickExits + 1;
                backoff = backoff(slot.quickExits);
                restart = ++slot.restarts;
            }
            console.accept(exited.name() + " exited (" + RuntimeProcess.describeExit(status) + "); restarting (restart "
                    + restart + (backoff.equals(FIRST_BACKOFF) ? "" : ", after " + backoff.toSeconds() + " s") + ")");
            if (awaitStopping(backoff)) {
                return;
            }
            RuntimeProcess next;
            synchronized (slot) {
                if (stopping) {
                    return;
                }
                next = exited.relaunch();
                slot.process = next;
                slot.startedNanos = System.nanoTime();
            }
            slot.restarting = false;
            try {
                next.awaitReady(readyTimeout);
            } catch (RuntimeException notReady) {
                // it died while starting (the watcher restarts it) or is slow: either way, supervision goes on
            }
        } finally {
            slot.restarting = false;
        }
    }

    static Duration backoff(int quickExits) {
        long seconds = FIRST_BACKOFF.toSeconds() << Math.min(Math.max(quickExits - 1, 0), 5);
        return Duration.ofSeconds(Math.min(seconds, MAX_BACKOFF.toSeconds()));
    }

    /** Exit by SIGHUP, SIGINT or SIGTERM (128 + 1, 2, 15): what a stop of the whole group sends. */
    static boolean isStopSignal(int status) {
        return status == 129 || status == 130 || status == 143;
    }

    /** Sleeps up to {@code duration}; true as soon as the supervisor is stopping. */
    private boolean awaitStopping(Duration duration) {
        long deadline = System.nanoTime() + duration.toNanos();
        while (!stopping && System.nanoTime() < deadline) {
            try {
                Thread.sleep(Math.min(50, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)));
            } catch (InterruptedException e) {
                return true;
            }
        }
        return stopping;
    }

    /** One supervised process, across its restarts. */
    public static final class Slot {
        private volatile RuntimeProcess process;
        private volatile boolean restarting;
        private long startedNanos = System.nanoTime();
        private int quickExits;
        private int restarts;

        private Slot(RuntimeProcess process) {
            this.process = process;
        }

        /** The latest launch. */
        public RuntimeProcess process() {
            return process;
        }

        /** Times the process was launched again. */
        public synchronized int restarts() {
            return restarts;
        }
    }
}
