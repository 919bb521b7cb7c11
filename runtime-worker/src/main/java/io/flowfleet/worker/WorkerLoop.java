package io.flowfleet.worker;

import io.flowfleet.core.config.RuntimeConfig;
import io.flowfleet.core.queue.Delivery;
import io.flowfleet.core.queue.QueueState;
import io.flowfleet.core.queue.RunJob;
import io.flowfleet.core.queue.RunQueue;
import io.flowfleet.core.queue.RunSweeper;
import io.flowfleet.core.store.RunStore;
import io.lettuce.core.RedisCommandExecutionException;
import io.micrometer.core.instrument.Gauge;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The queue loop: one reader takes as many jobs as there are free slots (AP_WORKER_CONCURRENCY)
 * from the queue this worker serves (AP_QUEUE_NAME), first reclaiming jobs abandoned by dead
 * consumers; a heartbeat extends the leases of held runs, keeps their pending entries fresh and
 * checkpoints long runs; a sweeper re-enqueues runs Redis lost. On stop it takes no more jobs,
 * lets held runs finish within the grace period and hands back the rest.
 */
@Component
public class WorkerLoop implements SmartLifecycle {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerLoop.class);
    private static final Duration READ_BLOCK = Duration.ofSeconds(1);
    private static final Duration CHECKPOINT_AFTER = Duration.ofSeconds(10);

    private final RunExecutor executor;
    private final RunQueue queue;
    private final RunStore runs;
    private final WorkerMetrics metrics;
    private final RuntimeConfig config;
    private final Duration shutdownGrace;
    private final ConcurrentMap<UUID, InFlightRun> inFlight = new ConcurrentHashMap<>();
    private final AtomicLong waiting = new AtomicLong();
    private final Semaphore freeSlots;

    private volatile boolean running;
    private RunQueue.QueueConsumer consumer;
    private Thread reader;
    private ExecutorService slots;
    private ScheduledExecutorService housekeeping;

    public WorkerLoop(RunExecutor executor, RunQueue queue, RunStore runs, WorkerMetrics metrics, RuntimeConfig config,
                      @Value("${AP_SHUTDOWN_GRACE_SECONDS:25}") int shutdownGraceSeconds) {
        this.executor = executor;
        this.queue = queue;
        this.runs = runs;
        this.metrics = metrics;
        this.config = config;
        this.shutdownGrace = Duration.ofSeconds(shutdownGraceSeconds);
        this.freeSlots = new Semaphore(config.workerConcurrency());
        Gauge.builder("flowfleet.worker.busy.slots", inFlight, m -> m.size()).description("Slots running a flow now")
                .register(metrics.registry());
        Gauge.builder("flowfleet.worker.slots", config, c -> c.workerConcurrency()).register(metrics.registry());
        Gauge.builder("flowfleet.queue.depth", waiting, AtomicLong::doubleValue).tag("queue", config.queueName())
                .tag("state", "waiting").description("Jobs not yet delivered").register(metrics.registry());
    }

    @Override
    public synchronized void start() {
        consumer = queue.consumer(config.queueName(), config.workerId());
        slots = Executors.newFixedThreadPool(config.workerConcurrency(), Thread.ofPlatform().name("slot-", 0).factory());
        housekeeping = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("housekeeping").daemon().factory());
        long beat = Math.max(200, config.runLease().toMillis() / 3);
        housekeeping.scheduleWithFixedDelay(this::heartbeat, beat, beat, TimeUnit.MILLISECONDS);
        long sweep = Math.max(1_000, config.runLease().toMillis());
        housekeeping.scheduleWithFixedDelay(this::sweep, sweep + ThreadLocalRandom.current().nextLong(sweep), sweep, TimeUnit.MILLISECONDS);
        running = true;
        reader = Thread.ofPlatform().name("queue-reader").start(this::readLoop);
        LOG.info("worker {} reading queue '{}' ({} slots, lease {})", config.workerId(), config.queueName(),
                config.workerConcurrency(), config.runLease());
    }

    private void readLoop() {
        long lastReclaim = 0;
        long reclaimEvery = config.runLease().toNanos() / 2;
        while (running) {
            int permits = 0;
            try {
                if (!freeSlots.tryAcquire(200, TimeUnit.MILLISECONDS)) continue;
                permits = 1 + freeSlots.drainPermits();
                List<Delivery> deliveries = List.of();
                if (System.nanoTime() - lastReclaim > reclaimEvery) {
                    lastReclaim = System.nanoTime();
                    deliveries = consumer.reclaim(permits, config.runLease());
                    if (!deliveries.isEmpty()) {
                        LOG.warn("reclaimed {} job(s) whose worker stopped answering", deliveries.size());
                        metrics.delivery("reclaimed", deliveries.size());
                    }
                }
                if (deliveries.isEmpty()) deliveries = consumer.read(permits, READ_BLOCK);
                for (Delivery d : deliveries) {
                    permits--;
                    slots.execute(() -> {
                        try {
                            executor.execute(d, inFlight);
                        } finally {
                            freeSlots.release();
                        }
                    });
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RedisCommandExecutionException e) {
                if (e.getMessage() != null && e.getMessage().startsWith("NOGROUP")) {
                    LOG.warn("queue '{}' lost its consumer group (Redis restarted?): creating it again", config.queueName());
                    queue.ensureGroup(config.queueName());
                } else {
                    LOG.error("reading queue '{}' failed", config.queueName(), e);
                    pause();
                }
            } catch (RuntimeException e) {
                if (running) {
                    LOG.error("reading queue '{}' failed", config.queueName(), e);
                    pause();
                }
            } finally {
                if (permits > 0) freeSlots.release(permits);
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

    /** Keeps held runs ours: lease in Postgres, idle time of their pending entries, checkpoints. */
    private void heartbeat() {
        try {
            List<InFlightRun> held = new ArrayList<>(inFlight.values());
            if (!held.isEmpty()) {
                int kept = runs.extendLeases(config.workerId(), inFlight.keySet(), config.runLease());
                if (kept < held.size()) LOG.warn("{} of {} held runs are no longer ours", held.size() - kept, held.size());
                queue.touch(config.queueName(), config.workerId(), held.stream().map(r -> r.delivery.messageId()).toList());
                long now = System.nanoTime();
                for (InFlightRun run : held) {
                    if (now - run.startedNanos < CHECKPOINT_AFTER.toNanos()) continue;
                    var steps = run.checkpointIfChanged();
                    if (steps != null) runs.checkpoint(run.claim, steps);
                }
            }
            QueueState state = queue.state(config.queueName());
            waiting.set(state.waiting());
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
            reader.join(READ_BLOCK.toMillis() + 2_000);
            slots.shutdown();
            if (!slots.awaitTermination(shutdownGrace.toMillis(), TimeUnit.MILLISECONDS)) {
                handBack();
                slots.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            handBack();
        } finally {
            housekeeping.shutdownNow();
            consumer.close();
        }
        LOG.info("worker {} stopped", config.workerId());
    }

    /** Runs still going at the end of the grace period go back to the queue for another worker. */
    private void handBack() {
        for (InFlightRun run : inFlight.values()) {
            RunJob job = run.delivery.job();
            try {
                if (runs.handBack(run.claim)) {
                    queue.enqueue(run.delivery.queue(), job.asRedelivery()).join();
                    queue.ack(run.delivery.queue(), run.delivery.messageId()).join();
                    metrics.delivery("handed_back", 1);
                    LOG.info("run {} handed back to queue '{}' at shutdown", job.runId(), run.delivery.queue());
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
