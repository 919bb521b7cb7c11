package io.flowfleet.local;

/**
 * Runs a stop action once: when the owner closes, or from a shutdown hook if the JVM exits first
 * (Ctrl-C, System.exit), so that no server or child process outlives the JVM that started it.
 */
final class StopOnExit {

    private final Runnable stop;
    private final Thread hook;
    private boolean done;

    private StopOnExit(String name, Runnable stop) {
        this.stop = stop;
        this.hook = new Thread(this::runOnce, "stop-on-exit-" + name);
    }

    static StopOnExit register(String name, Runnable stop) {
        StopOnExit stopOnExit = new StopOnExit(name, stop);
        Runtime.getRuntime().addShutdownHook(stopOnExit.hook);
        return stopOnExit;
    }

    /** Stops now (a second caller waits for the first to finish) and drops the shutdown hook. */
    void run() {
        runOnce();
        if (Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook runs anyway and finds nothing left to do
            }
        }
    }

    private synchronized void runOnce() {
        if (!done) {
            done = true;
            stop.run();
        }
    }
}
