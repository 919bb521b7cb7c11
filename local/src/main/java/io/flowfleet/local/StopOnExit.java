package io.flowfleet.local;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Runs a stop action once: when its owner closes, or at JVM exit (Ctrl-C, System.exit) if the
 * owner was never closed, so that no server or child process outlives the JVM that started it.
 *
 * <p>One shutdown hook stops what is still running in the reverse order of starting (JVM hooks
 * would all run at once): app and workers stop before the Postgres and Redis they still talk to.
 */
final class StopOnExit {

    private static final Deque<StopOnExit> RUNNING = new ArrayDeque<>();
    private static boolean hookInstalled;

    private final String name;
    private final Runnable stop;
    private boolean done;

    private StopOnExit(String name, Runnable stop) {
        this.name = name;
        this.stop = stop;
    }

    static StopOnExit register(String name, Runnable stop) {
        StopOnExit stopOnExit = new StopOnExit(name, stop);
        synchronized (StopOnExit.class) {
            if (!hookInstalled) {
                Runtime.getRuntime().addShutdownHook(new Thread(StopOnExit::stopAllStillRunning, "flowfleet-local-stop"));
                hookInstalled = true;
            }
            RUNNING.push(stopOnExit);
        }
        return stopOnExit;
    }

    /**
     * Like {@link #register}, but stopped after everything registered so far: for a process that
     * replaces one its owner already stops (a restarted worker), so the owner's order still holds.
     */
    static StopOnExit registerLast(String name, Runnable stop) {
        StopOnExit stopOnExit = register(name, stop);
        synchronized (StopOnExit.class) {
            RUNNING.remove(stopOnExit);
            RUNNING.addLast(stopOnExit);
        }
        return stopOnExit;
    }

    /** Stops now (a concurrent caller waits for the first to finish). */
    void run() {
        runOnce();
        synchronized (StopOnExit.class) {
            RUNNING.remove(this);
        }
    }

    private synchronized void runOnce() {
        if (!done) {
            done = true;
            stop.run();
        }
    }

    private static void stopAllStillRunning() {
        while (true) {
            StopOnExit next;
            synchronized (StopOnExit.class) {
                next = RUNNING.poll();
            }
            if (next == null) {
                return;
            }
            try {
                next.runOnce();
            } catch (RuntimeException e) {
                System.err.println("flowfleet-local: stopping " + next.name + " at exit failed: " + e);
            }
        }
    }
}
