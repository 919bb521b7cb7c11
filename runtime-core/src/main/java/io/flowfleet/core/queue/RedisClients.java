package io.flowfleet.core.queue;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;

import java.time.Duration;

/**
 * The one way app and worker create their Redis client, so that "not enqueued" is true:
 * <ul>
 *   <li>while a connection is down, commands are refused at once ({@code REJECT_COMMANDS}) instead of
 *       being buffered and replayed on reconnect, where an XADD the app already answered 503 for would
 *       come back as a job;</li>
 *   <li>every command completes within {@link #COMMAND_TIMEOUT} (longer than any blocking read of the
 *       worker), and connecting gives up after {@link #CONNECT_TIMEOUT};</li>
 *   <li>connections reconnect by themselves once Redis is back.</li>
 * </ul>
 * A command already written when the connection drops is still retried after a reconnect (Lettuce
 * is at-least-once then); callers that give up on one cancel its future, which keeps it from being
 * written again.
 */
public final class RedisClients {
    public static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private RedisClients() {
    }

    /** A client for {@code redisUrl} ({@code redis://[:password@]host:port[/db]}, AP_REDIS_URL). */
    public static RedisClient create(String redisUrl) {
        RedisURI uri = RedisURI.create(redisUrl);
        uri.setTimeout(COMMAND_TIMEOUT);
        RedisClient client = RedisClient.create(uri);
        client.setOptions(options());
        return client;
    }

    static ClientOptions options() {
        return ClientOptions.builder()
                .autoReconnect(true)
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .timeoutOptions(TimeoutOptions.enabled(COMMAND_TIMEOUT))
                .socketOptions(SocketOptions.builder().connectTimeout(CONNECT_TIMEOUT).keepAlive(true).build())
                .build();
    }
}
