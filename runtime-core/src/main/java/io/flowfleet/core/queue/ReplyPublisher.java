package io.flowfleet.core.queue;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.StringCodec;

import java.util.concurrent.CompletableFuture;

/** A worker's side of sync replies: PUBLISH to the channel named in the job. */
public final class ReplyPublisher implements AutoCloseable {
    private final StatefulRedisConnection<String, String> connection;

    public ReplyPublisher(RedisClient client) {
        this.connection = client.connect(StringCodec.UTF8);
    }

    /** Completes with the number of app instances that received it (0: the caller's app is gone). */
    public CompletableFuture<Long> publish(String channel, Reply reply) {
        return connection.async().publish(channel, reply.encode()).toCompletableFuture();
    }

    @Override
    public void close() {
        connection.close();
    }
}
