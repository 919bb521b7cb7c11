package io.flowfleet.core.queue;

import io.lettuce.core.Consumer;
import io.lettuce.core.KeyValue;
import io.lettuce.core.SetArgs;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisFuture;
import io.lettuce.core.StreamMessage;
import io.lettuce.core.XAutoClaimArgs;
import io.lettuce.core.XClaimArgs;
import io.lettuce.core.XGroupCreateArgs;
import io.lettuce.core.XReadArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.models.stream.ClaimedMessages;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Run jobs on Redis streams: queue NAME is stream {@code flowfleet:queue:NAME} with consumer group
 * {@value #GROUP}. A job stays in the group's pending list from delivery until it is acknowledged,
 * which happens only after the run's result is stored; acknowledged entries are deleted so the
 * stream holds only live jobs. Non-blocking commands share one pipelined connection.
 */
public final class RunQueue implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunQueue.class);
    public static final String GROUP = "workers";

    private final RedisClient client;
    private final StatefulRedisConnection<String, String> connection;
    private final RedisAsyncCommands<String, String> async;
    private final RedisCommands<String, String> sync;

    public RunQueue(RedisClient client) {
        this.client = client;
        this.connection = client.connect(StringCodec.UTF8);
        this.async = connection.async();
        this.sync = connection.sync();
    }

    public static String streamOf(String queue) {
        return "flowfleet:queue:" + queue;
    }

    /** XADD; completes with the entry id once Redis has it. */
    public CompletableFuture<String> enqueue(String queue, RunJob job) {
        return async.xadd(streamOf(queue), job.toFields()).toCompletableFuture();
    }

    /** Creates the queue's stream and consumer group if missing (idempotent). */
    public void ensureGroup(String queue) {
        try {
            sync.xgroupCreate(XReadArgs.StreamOffset.from(streamOf(queue), "0-0"), GROUP, XGroupCreateArgs.Builder.mkstream());
        } catch (RedisBusyException e) {
            // BUSYGROUP: the group exists already.
        }
    }

    /** A consumer with its own connection, so its blocking reads do not stall the shared one. */
    public QueueConsumer consumer(String queue, String consumerName) {
        ensureGroup(queue);
        return new QueueConsumer(queue, consumerName, client.connect(StringCodec.UTF8));
    }

    /** XACK then XDEL, pipelined: the job is done and its entry no longer needed. */
    public CompletableFuture<Void> ack(String queue, String messageId) {
        String stream = streamOf(queue);
        RedisFuture<Long> acked = async.xack(stream, GROUP, messageId);
        RedisFuture<Long> deleted = async.xdel(stream, messageId);
        return CompletableFuture.allOf(acked.toCompletableFuture(), deleted.toCompletableFuture());
    }

    /** Resets the idle time of jobs this consumer still works on, so no one reclaims them. */
    public void touch(String queue, String consumerName, List<String> messageIds) {
        if (messageIds.isEmpty()) return;
        sync.xclaim(streamOf(queue), Consumer.from(GROUP, consumerName), XClaimArgs.Builder.justid(),
                messageIds.toArray(String[]::new));
    }

    /**
     * Keeps a job pending for this consumer but lets it be reclaimed (XAUTOCLAIM with min-idle
     * {@code minIdle}) once {@code after} has passed, instead of a whole {@code minIdle} from now:
     * XCLAIM ... IDLE sets its idle time to {@code minIdle - after}. For a job whose claim was
     * refused because another attempt holds the run until {@code after}: if that holder is dead, its
     * run is delivered again as soon as its lease runs out.
     */
    public void reclaimableAfter(String queue, String consumerName, String messageId, Duration after, Duration minIdle) {
        long idle = Math.max(0, minIdle.minus(after).toMillis());
        sync.xclaim(streamOf(queue), Consumer.from(GROUP, consumerName), XClaimArgs.Builder.justid().idle(idle), messageId);
    }

    private static String heldKey(UUID runId) {
        return "flowfleet:held:" + runId;
    }

    /**
     * Marks runs as held by a live worker for {@code ttl} (the lease): renewed by every heartbeat,
     * even while Postgres is unreachable, so the sweeper does not enqueue again a run whose lease
     * only looks expired because its live holder could not extend it.
     */
    public void markHeld(Collection<UUID> runIds, Duration ttl) {
        if (runIds.isEmpty()) return;
        List<RedisFuture<String>> sets = new ArrayList<>(runIds.size());
        for (UUID id : runIds) sets.add(async.set(heldKey(id), "1", SetArgs.Builder.px(ttl.toMillis())));
        for (RedisFuture<String> f : sets) f.toCompletableFuture().join();
    }

    /** The runs among {@code runIds} that a live worker marked as held within its lease. */
    public Set<UUID> heldByLiveWorkers(List<UUID> runIds) {
        if (runIds.isEmpty()) return Set.of();
        List<KeyValue<String, String>> values = sync.mget(runIds.stream().map(RunQueue::heldKey).toArray(String[]::new));
        Set<UUID> held = new HashSet<>();
        for (int i = 0; i < values.size(); i++) if (values.get(i).hasValue()) held.add(runIds.get(i));
        return held;
    }

    /** Waiting and pending counts of the queue, and how far delivery has got. */
    public QueueState state(String queue) {
        String stream = streamOf(queue);
        long length = sync.xlen(stream);
        List<Object> groups;
        try {
            groups = sync.xinfoGroups(stream);
        } catch (RedisCommandExecutionException e) {
            return new QueueState(queue, length, 0, null); // no such stream yet
        }
        for (Object g : groups) {
            List<?> fields = (List<?>) g;
            String name = null, lastDelivered = null;
            long pending = 0;
            for (int i = 0; i + 1 < fields.size(); i += 2) {
                String key = String.valueOf(fields.get(i));
                Object value = fields.get(i + 1);
                switch (key) {
                    case "name" -> name = String.valueOf(value);
                    case "pending" -> pending = ((Number) value).longValue();
                    case "last-delivered-id" -> lastDelivered = String.valueOf(value);
                    default -> { }
                }
            }
            if (GROUP.equals(name)) {
                Instant upTo = lastDelivered == null || lastDelivered.equals("0-0") ? null : idTime(lastDelivered);
                return new QueueState(queue, Math.max(0, length - pending), pending, upTo);
            }
        }
        return new QueueState(queue, length, 0, null);
    }

    /** The current time of the Redis server (stream ids are made from it). */
    public Instant serverTime() {
        List<String> time = sync.time();
        return Instant.ofEpochSecond(Long.parseLong(time.get(0)), Long.parseLong(time.get(1)) * 1000);
    }

    static Instant idTime(String entryId) {
        int dash = entryId.indexOf('-');
        return Instant.ofEpochMilli(Long.parseLong(dash < 0 ? entryId : entryId.substring(0, dash)));
    }

    @Override
    public void close() {
        connection.close();
    }

    /** One worker's view of a queue: blocking reads and reclaiming of abandoned jobs. */
    public static final class QueueConsumer implements AutoCloseable {
        private final String queue;
        private final String name;
        private final String stream;
        private final StatefulRedisConnection<String, String> connection;
        private String reclaimCursor = "0-0";

        private QueueConsumer(String queue, String name, StatefulRedisConnection<String, String> connection) {
            this.queue = queue;
            this.name = name;
            this.stream = streamOf(queue);
            this.connection = connection;
        }

        public String name() {
            return name;
        }

        public String queue() {
            return queue;
        }

        /** XREADGROUP of up to {@code count} new jobs, blocking up to {@code block} when there are none. */
        public List<Delivery> read(int count, Duration block) {
            List<StreamMessage<String, String>> messages = connection.sync().xreadgroup(
                    Consumer.from(GROUP, name), XReadArgs.Builder.count(count).block(block),
                    XReadArgs.StreamOffset.lastConsumed(stream));
            return deliveries(messages, false);
        }

        /**
         * XAUTOCLAIM of up to {@code count} jobs delivered to any consumer and unacknowledged for longer
         * than {@code minIdle} (their worker died or hung): they are delivered to this consumer.
         */
        public List<Delivery> reclaim(int count, Duration minIdle) {
            ClaimedMessages<String, String> claimed = connection.sync().xautoclaim(stream,
                    XAutoClaimArgs.Builder.xautoclaim(Consumer.from(GROUP, name), minIdle, reclaimCursor).count(count));
            // Continue the scan next time where this one stopped (Redis 7 scans at most 10 x COUNT entries per call).
            reclaimCursor = claimed.getId() == null ? "0-0" : claimed.getId();
            return deliveries(claimed.getMessages(), true);
        }

        private List<Delivery> deliveries(List<StreamMessage<String, String>> messages, boolean reclaimed) {
            if (messages == null || messages.isEmpty()) return List.of();
            List<Delivery> out = new ArrayList<>(messages.size());
            for (StreamMessage<String, String> m : messages) {
                // Redis 6.2 reports entries deleted while pending as messages without a body.
                if (m.getBody() == null || m.getBody().isEmpty()) {
                    connection.async().xack(stream, GROUP, m.getId());
                    continue;
                }
                try {
                    out.add(new Delivery(queue, m.getId(), RunJob.fromFields(m.getBody()), reclaimed));
                } catch (IllegalArgumentException e) {
                    LOG.warn("dropping malformed entry {} of {}: {}", m.getId(), stream, e.getMessage());
                    connection.async().xack(stream, GROUP, m.getId());
                }
            }
            return out;
        }

        @Override
        public void close() {
            connection.close();
        }
    }
}
