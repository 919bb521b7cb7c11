package io.flowfleet.core.queue;

import io.flowfleet.local.LocalRedis;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisException;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shared client refuses commands while Redis is gone instead of buffering them for a replay. */
class RedisClientsTest {
    @TempDir
    Path dir;

    @Test
    void aCommandWhileDisconnectedIsRefusedNotBuffered() throws Exception {
        LocalRedis redis = LocalRedis.start(dir.resolve("redis"));
        RedisClient client = RedisClients.create(redis.uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            assertThat(connection.sync().ping()).isEqualTo("PONG");
            redis.close();
            // Wait until the client has noticed (the server closed the socket).
            for (long deadline = System.nanoTime() + 10_000_000_000L; connection.isOpen() && System.nanoTime() < deadline; ) {
                Thread.sleep(20);
            }
            assertThat(connection.isOpen()).as("the client saw the connection drop").isFalse();

            CompletableFuture<String> xadd = connection.async().xadd("flowfleet:queue:test", Map.of("run", "r1")).toCompletableFuture();
            // Refused outright: a buffered command would instead wait for the command timeout (or a reconnect, and then run).
            assertThatThrownBy(() -> xadd.get(RedisClients.COMMAND_TIMEOUT.toMillis() * 2, TimeUnit.MILLISECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOf(RedisException.class).isNotInstanceOf(RedisCommandTimeoutException.class)
                    .hasMessageContaining("not connected");
        } finally {
            client.shutdown();
        }
    }
}
