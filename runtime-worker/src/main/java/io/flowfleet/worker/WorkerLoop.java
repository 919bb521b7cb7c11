package io.flowfleet.worker;

import io.flowfleet.core.config.RuntimeConfig;
import io.flowfleet.core.queue.Delivery;
import io.flowfleet.core.queue.RunJob;
import io.flowfleet.core.queue.RunQueue;
import io.flowfleet.core.queue.RunSweeper;
import io.flowfleet.core.run.HeldRun;
import io.flowfleet.core.run.HeldRuns;
import io.flowfleet.core.store.RunStore;
import io.lettuce.core.RedisCommandExecutionException;
import io.micrometer.core.instrument.Gauge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The queue loop: each of the AP_WORKER_CONCURRENCY slots takes one job at a time from the queue
 * this worker serves (AP_QUEUE_NAME) and runs it on its own thread, reclaiming jobs abandoned by
 * dead consumers when due (one slot at a time, every {@link #reclaimInterval}); while Postgres is
 * known to be unreachable no slot takes a job. A heartbeat (every lease/3) extends the leases of
 * held runs, keeps their pending entries fresh and checkpoints long runs; a sweeper re-enqueues runs
 * Redis lost. On stop it takes no more jobs, lets held runs finish within the grace period and hands
 * back the rest.
 */
@Component
public class WorkerLoop implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerLoop.class);
    private static final Duration READ_BLOCK = Duration.ofSeconds(1);
    private static final Duration CHECKPOINT_AFTER = Duration.ofSeconds(10);
    private static final Duration SLOT_UNWIND = Duration.ofSeconds(5);
    private static final Duration STORE_DOWN_PAUSE = Duration.ofMillis(250);

    private final RunExecutor executor;
    private final RunQueue queue;
    private final RunStore runs;
    private final WorkerMetrics metrics;
    private final RuntimeConfig config;
    private final Duration shutdownGrace;
    private final HeldRuns held;
    private final StoreHealth storeHealth;
    private final AtomicLong waiting = new AtomicLong();
    private final AtomicLong lastReclaim = new AtomicLong();
    private final List<RunQueue.QueueConsumer> consumers = new ArrayList<>();
    private final List<Thread> slots = new ArrayList<>();

    private volatile boolean running;
    private ScheduledExecutorService housekeeping;

    public WorkerLoop(RunExecutor executor, RunQueue queue, RunStore runs, WorkerMetrics metrics, RuntimeConfig config,
                      HeldRuns held, StoreHealth storeHealth) {
        this.executor = executor;
        this.held = held;
        this.storeHealth = storeHealth;
        this.queue = queue;
        this.runs = runs;
        this.metrics = metrics;
        this.config = config;
        this.shutdownGrace = config.workerShutdownGrace();
        Gauge.builder("flowfleet.worker.busy.slots", held, HeldRuns::size).description("Slots running a flow now")
                .register(metrics.registry());
        Gauge.builder("flowfleet.worker.slots", config, c -> c.workerConcurrency()).register(metrics.registry());
        Gauge.builder("flowfleet.queue.depth", waiting, AtomicLong::doubleValue).tag("queue", config.queueName())
                .tag("state", "waiting").description("Jobs not yet delivered").register(metrics.registry());
    }

    @Override
    public synchronized void start() {
        // Three tasks that must not wait for each other: a Postgres call blocked by an outage must not
        // stop the Redis keep-alive that tells everyone this worker still holds its runs.
        housekeeping = Executors.newScheduledThreadPool(3, Thread.ofPlatform().name("housekeeping-", 0).daemon().factory());
        long beat = Math.max(200, config.runLease().toMillis() / 3);
        housekeeping.scheduleWithFixedDelay(this::keepAlive, beat, beat, TimeUnit.MILLISECONDS);
        housekeeping.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        long sweep = Math.max(1_000, config.runLease().toMillis());
        housekeeping.scheduleWithFixedDelay(this::sweep, sweep + ThreadLocalRandom.current().nextLong(sweep), sweep, TimeUnit.MILLISECONDS);
        running = true;
        lastReclaim.set(System.nanoTime() - reclaimInterval(config.runLease()).toNanos()); // reclaim at once: this worker may replace a dead one
        for (int i = 0; i < config.workerConcurrency(); i++) {
            // Each slot reads its own jobs on its own connection (same consumer name): no hand-off
            // between a reader and the thread that runs the flow.
            RunQueue.QueueConsumer consumer = queue.consumer(config.queueName(), config.workerId());
            consumers.add(consumer);
            slots.add(Thread.ofPlatform().name("slot-" + i).start(() -> slotLoop(consumer)));
        }
        LOG.info("worker {} reading queue '{}' ({} slots, lease {})", config.workerId(), config.queueName(),
                config.workerConcurrency(), config.runLease());
    }

    /**
     * How often one slot of this worker looks for jobs of dead consumers: a tenth of the lease (1 s
     * at the default 10 s), between 250 ms and 2 s, with a random phase per worker. A job is reclaimed
     * once its pending entry idled a whole lease (XAUTOCLAIM min-idle = lease, the lease in Postgres
     * expires at the same time), so a dead worker's run is delivered again at most lease + this
     * interval after its last heartbeat.
     */
    static Duration reclaimInterval(Duration lease) {
        long millis = Math.clamp(lease.toMillis() / 10, 250, 2_000);
        return Duration.ofMillis(millis);
    }

    /** One slot: take one job (reclaiming an abandoned one first when due), run it, repeat. */
    private void slotLoop(RunQueue.QueueConsumer consumer) {
        long reclaimEvery = reclaimInterval(config.runLease()).toNanos();
        while (running) {
            try {
                if (!storeHealth.available()) {
                    // A job read now would only have its claim fail: leave it in Redis for when Postgres is back.
                    Thread.sleep(STORE_DOWN_PAUSE);
                    continue;
                }
                List<Delivery> deliveries = List.of();
                long last = lastReclaim.get();
                if (System.nanoTime() - last > reclaimEvery
                        && lastReclaim.compareAndSet(last, System.nanoTime() + ThreadLocalRandom.current().nextLong(reclaimEvery / 4))) {
                    deliveries = consumer.reclaim(1, config.runLease());
                    if (!deliveries.isEmpty()) {
                        // WARN would cry wolf after a Redis restored from an old snapshot (its stale entries come back this way).
                        LOG.info("reclaimed the job of run {}: its consumer left it unacknowledged for a lease", deliveries.getFirst().job().runId());
                        metrics.delivery("reclaimed", deliveries.size());
                    }
                }
                if (deliveries.isEmpty()) deliveries = consumer.read(1, READ_BLOCK);
                for (Delivery d : deliveries) {
                    boolean spent = executor.execute(d);
                    // A reclaimed job of a run that had ended (e.g. left by a Redis restored from an old
                    // snapshot): look for the next one at once rather than a reclaim interval later.
                    if (d.reclaimed() && spent) lastReclaim.set(System.nanoTime() - reclaimEvery - 1);
                }
            } catch (RedisCommandExecutionException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("NOGROUP")) {
                    LOG.warn("queue '{}' lost its consumer group (Redis restarted?): creating it again", config.queueName());
                    queue.ensureGroup(config.queueName());
                } else {
                    LOG.error("reading queue '{}' failed", config.queueName(), e);
                    pause();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (running) {
                    LOG.error("reading queue '{}' failed", config.queueName(), e);
                    pause();
                }
            }
        }
    }

    private static void pause() {
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The Redis half of the heartbeat: resets the idle time of held runs' pending entries (so no one
     * reclaims them) and marks the runs held by a live worker (so no sweeper enqueues them again),
     * whether or not Postgres answers.
     */
    private void keepAlive() {
        try {
            List<HeldRun> working = held.working();
            if (!working.isEmpty()) {
                // Marks first: they work even on a Redis that restarted empty, where the touch fails (NOGROUP).
                queue.markHeld(working.stream().filter(HeldRun::holding).map(r -> r.claim().runId()).toList(), config.runLease());
                queue.touch(config.queueName(), config.workerId(), working.stream().map(r -> r.delivery().messageId()).toList());
            }
            waiting.set(queue.state(config.queueName()).waiting());
        } catch (RuntimeException e) {
            LOG.warn("keep-alive in Redis failed: {}", e.toString());
        }
    }

    /**
     * The Postgres half: extends the leases of held runs and checkpoints long ones. A run Postgres no
     * longer gives this worker is lost (its gate shuts, so it acts no more), unless it ended or was
     * handed back meanwhile. With nothing held, it asks Postgres whether it answers, so an idle worker
     * stops taking jobs during an outage before it reads one.
     */
    private void heartbeat() {
        try {
            List<HeldRun> holding = held.holding();
            if (holding.isEmpty()) {
                storeHealth.probe();
                return;
            }
            Set<UUID> kept;
            long asked = System.nanoTime();
            try {
                kept = runs.extendLeases(config.workerId(), holding.stream().map(r -> r.claim().runId()).toList(), config.runLease());
                storeHealth.up();
            } catch (RuntimeException e) {
                // Postgres unreachable: the keep-alive in Redis still says these runs are held.
                storeHealth.failed(e);
                LOG.warn("heartbeat could not extend leases: {}", e.toString());
                return;
            }
            int lost = held.leasesAnswered(holding, kept, asked + config.runLease().toNanos());
            if (lost > 0) LOG.warn("{} of {} held runs are no longer ours: they stop before their next effect", lost, holding.size());
            long now = System.nanoTime();
            for (HeldRun run : holding) {
                if (now - run.startedNanos() < CHECKPOINT_AFTER.toNanos() || !kept.contains(run.claim().runId())) continue;
                var steps = run.checkpointIfChanged();
                if (steps != null) runs.checkpoint(run.claim(), steps);
            }
        } catch (RuntimeException e) {
            LOG.warn("heartbeat failed: {}", e.toString());
        }
    }

    private void sweep() {
        try {
            int swept = new RunSweeper(runs, queue, config.queueName(), config.runLease()).sweepOnce();
            metrics.delivery("swept", swept);
        } catch (RuntimeException e) {
            LOG.warn("sweep failed: {}", e.toString());
        }
    }

    @Override
    public synchronized void stop() {
        if (!running) return;
        running = false;
        try {
            // Slots finish their current read (at most READ_BLOCK) and their current run, within the grace period.
            joinSlots(READ_BLOCK.plus(shutdownGrace));
            if (slots.stream().anyMatch(Thread::isAlive)) {
                handBack();
                slots.forEach(Thread::interrupt);
                // Let interrupted slots unwind while the pools they use are still open (Spring closes them after us).
                joinSlots(SLOT_UNWIND);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handBack();
        } finally {
            housekeeping.shutdownNow();
            consumers.forEach(RunQueue.QueueConsumer::close);
        }
        LOG.info("worker {} stopped", config.workerId());
    }

    /** Waits for the slot threads to end, all of them within one {@code budget}. */
    private void joinSlots(Duration budget) throws InterruptedException {
        long deadline = System.nanoTime() + budget.toNanos();
        for (Thread slot : slots) slot.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
    }

    /** Runs still going at the end of the grace period go back to the queue for another worker. */
    private void handBack() {
        for (HeldRun run : held.snapshot()) {
            RunJob job = run.delivery().job();
            try {
                if (!run.handBack()) continue; // finishing or over: it ends by itself
                if (runs.handBack(run.claim())) {
                    queue.enqueue(run.delivery().queue(), job.asRedelivery()).join();
                    queue.ack(run.delivery().queue(), run.delivery().messageId()).join();
                    metrics.delivery("handed_back", 1);
                    LOG.info("run {} handed back to queue '{}' at shutdown", job.runId(), run.delivery().queue());
                }
            } catch (RuntimeException e) {
                LOG.warn("run {} could not be handed back ({}); it is delivered again when its lease expires", job.runId(), e.toString());
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }
}
