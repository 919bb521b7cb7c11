package io.flowfleet.app;

import io.flowfleet.core.store.Database;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.springframework.boot.actuate.health.Health;
import org.springframework.boot.actuate.health.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.sql.Connection;

/** Readiness checks: the app takes webhooks only while Postgres and Redis answer. */
@Configuration(proxyBeanMethods = false)
public class DependencyHealth {

    @Bean
    HealthIndicator postgres(Database database) {
        return () -> {
            try (Connection c = database.dataSource().getConnection()) {
                return c.isValid(2) ? Health.up().build() : Health.down().withDetail("reason", "connection not valid").build();
            } catch (Exception e) {
                return Health.down(e).build();
            }
        };
    }

    @Bean(destroyMethod = "close")
    StatefulRedisConnection<String, String> healthRedisConnection(RedisClient client) {
        return client.connect();
    }

    @Bean
    HealthIndicator redis(StatefulRedisConnection<String, String> healthRedisConnection) {
        return () -> {
            try {
                return "PONG".equals(healthRedisConnection.sync().ping()) ? Health.up().build() : Health.down().build();
            } catch (Exception e) {
                return Health.down(e).build();
            }
        };
    }
}
