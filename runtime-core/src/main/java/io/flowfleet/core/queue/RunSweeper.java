package io.flowfleet.core.queue;

import io.flowfleet.core.store.LostRun;
import io.flowfleet.core.store.RunStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Finds runs Postgres has open but Redis no longer carries, and enqueues them again. Two cases:
 * <ul>
 *   <li>QUEUED runs the consumer group has read past by more than a lease (a job that was delivered
 *   would have been claimed within milliseconds, so these jobs were lost, e.g. Redis restarted
 *   without persistence). While jobs wait undelivered, only runs older than the delivery point
 *   count, so a long backlog is not duplicated.</li>
 *   <li>RUNNING runs whose lease expired more than a lease ago: their worker died and the pending
 *   entry that XAUTOCLAIM would have reclaimed is gone too. A run a live worker still marks as held
 *   in Redis is left alone: its lease only looks expired because Postgres was unreachable for its
 *   holder, which extends it again (and stores the result) as soon as it can.</li>
 * </ul>
 * A duplicate job is harmless: a worker claims a run only while it is QUEUED or its lease expired.
 * A sync run's job carries its caller's reply channel again, so a caller still waiting is answered.
 */
public final class RunSweeper {
    private static final Logger LOG = LoggerFactory.getLogger(RunSweeper.class);
    private static final int BATCH = 500;

    private final RunStore runs;
    private final RunQueue queue;
    private final String queueName;
    private final Duration lease;

    public RunSweeper(RunStore runs, RunQueue queue, String queueName, Duration lease) {
        this.runs = runs;
        this.queue = queue;
        this.queueName = queueName;
        this.lease = lease;
    }

    /** One pass; returns how many runs were enqueued again. */
    public int sweepOnce() {
        QueueState state = queue.state(queueName);
        Instant deliveredUpTo = state.waiting() == 0 ? queue.serverTime() : state.deliveredUpTo();
        Instant queuedBefore = deliveredUpTo == null ? Instant.EPOCH : deliveredUpTo.minus(lease);
        int total = 0;
        List<LostRun> lost;
        int batches = 0;
        do {
            lost = runs.sweep(queueName, queuedBefore, lease, BATCH);
            Set<UUID> held = queue.heldByLiveWorkers(lost.stream().filter(r -> r.heldBy() != null).map(LostRun::runId).toList());
            for (LostRun run : lost) {
                if (held.contains(run.runId())) {
                    LOG.info("run {} looks abandoned in Postgres but worker {} still holds it: left alone", run.runId(), run.heldBy());
                    continue;
                }
                queue.enqueue(run.queue(), new RunJob(run.runId(), run.flowId(), run.flowVersionId(), run.replyTo(), run.payloadJson(), true)).join();
                LOG.warn("run {} had no live job in queue {}: enqueued again", run.runId(), run.queue());
                total++;
            }
        } while (lost.size() == BATCH && ++batches < 20);
        return total;
    }
}
