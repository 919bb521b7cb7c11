package io.flowfleet.core.queue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.codec.StringCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * An app instance's own reply channel ({@code flowfleet:reply:INSTANCE}, Redis pub/sub): sync callers
 * wait here for the worker's reply to their run. A reply nobody waits for any more (timed out, or a
 * second delivery's duplicate) is dropped.
 */
public final class ReplyChannel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReplyChannel.class);

    private final String channel;
    private final StatefulRedisPubSubConnection<String, String> connection;
    private final ConcurrentMap<UUID, CompletableFuture<Reply>> waiting = new ConcurrentHashMap<>();

    public ReplyChannel(RedisClient client, String instanceId) {
        this.channel = "flowfleet:reply:" + instanceId;
        this.connection = client.connectPubSub(StringCodec.UTF8);
        connection.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(String ch, String message) {
                deliver(message);
            }
        });
        connection.sync().subscribe(channel);
    }

    /** The channel name to put in a sync job. */
    public String name() {
        return channel;
    }

    /** Starts waiting for {@code runId}'s reply; call before enqueueing so no reply can be missed. */
    public CompletableFuture<Reply> expect(UUID runId) {
        CompletableFuture<Reply> future = new CompletableFuture<>();
        waiting.put(runId, future);
        return future;
    }

    /** Stops waiting (timeout or enqueue failure). */
    public void forget(UUID runId) {
        waiting.remove(runId);
    }

    public int waitingCount() {
        return waiting.size();
    }

    private void deliver(String message) {
        Reply reply;
        try {
            reply = Reply.decode(message);
        } catch (IllegalArgumentException e) {
            LOG.warn("ignoring malformed reply on {}: {}", channel, e.getMessage());
            return;
        }
        CompletableFuture<Reply> future = waiting.remove(reply.runId());
        if (future != null) future.complete(reply);
    }

    @Override
    public void close() {
        connection.close();
    }
}
