package io.flowfleet.chaos;

/** The faults the suite injects, by their name in chaos.json. */
public enum FaultKind {
    WORKER_KILL("worker-kill", true),
    WORKER_PAUSE("worker-pause", true),
    WORKER_TERM("worker-term", true),
    REDIS_RESTART_STALE("redis-restart-stale", false),
    REDIS_RESTART_EMPTY("redis-restart-empty", false),
    POSTGRES_CRASH("postgres-crash", false),
    APP_KILL("app-kill", false);

    private final String id;
    private final boolean excusesRepeats;

    FaultKind(String id, boolean excusesRepeats) {
        this.id = id;
        this.excusesRepeats = excusesRepeats;
    }

    public String id() {
        return id;
    }

    /**
     * True for a fault during which at-least-once delivery may run a step again (a worker died,
     * paused past its lease or was stopped): repeats in its window are "repeated", not
     * "repeatedWithoutWorkerDeath". Redis and Postgres outages and an app kill excuse nothing: the
     * app executes no step, so its death gives no run a reason to execute again.
     */
    public boolean excusesRepeats() {
        return excusesRepeats;
    }

    /** The worker faults: a sync caller in flight during one of these waits on a re-delivery. */
    public boolean isWorkerFault() {
        return this == WORKER_KILL || this == WORKER_PAUSE || this == WORKER_TERM;
    }
}
