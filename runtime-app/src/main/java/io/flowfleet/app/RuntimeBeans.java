package io.flowfleet.app;

import io.flowfleet.core.bundle.BundleStore;
import io.flowfleet.core.bundle.ObjectStore;
import io.flowfleet.core.bundle.OutputStore;
import io.flowfleet.core.config.RuntimeConfig;
import io.flowfleet.core.queue.ReplyChannel;
import io.flowfleet.core.queue.RunQueue;
import io.flowfleet.core.store.Database;
import io.flowfleet.core.store.FlowStore;
import io.flowfleet.core.store.RunStore;
import io.lettuce.core.RedisClient;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowfleet.core.flow.Json;
import org.springframework.context.annotation.Primary;
import io.flowfleet.contract.RuntimeSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.support.DefaultLifecycleProcessor;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

import java.time.Duration;
import java.util.UUID;

/** The runtime-core pieces the app uses, bound to the AP_* settings. */
@Configuration(proxyBeanMethods = false)
public class RuntimeBeans {
    static final Duration REQUEST_CONNECTION_TIMEOUT = Duration.ofSeconds(2);

    /** Spring's own mapper (message converters) is the runtime's one mapper, with its documented limits. */
    @Bean
    @Primary
    ObjectMapper objectMapper() {
        return Json.MAPPER;
    }

    /** AP_* from the environment (or any Spring property source, e.g. test properties). */
    @Bean
    RuntimeConfig runtimeConfig(Environment environment) {
        RuntimeConfig config = RuntimeConfig.from(environment::getProperty);
        if (config.apiKey() == null) {
            throw new IllegalStateException(RuntimeSettings.API_KEY.name() + " is required: the management API (/api/v1/flows, /api/v1/runs) is refused without it");
        }
        return config;
    }

    /**
     * Spring's shutdown phase budget from RuntimeConfig: held sync callers get AP_SHUTDOWN_GRACE_SECONDS (unset:
     * the webhook timeout plus a margin) while the server drains; replaces Boot's property-driven processor.
     */
    @Bean(name = AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME)
    DefaultLifecycleProcessor lifecycleProcessor(RuntimeConfig config) {
        DefaultLifecycleProcessor processor = new DefaultLifecycleProcessor();
        processor.setTimeoutPerShutdownPhase(config.appShutdownGrace().toMillis());
        return processor;
    }

    @Bean(destroyMethod = "close")
    Database database(RuntimeConfig config) {
        // Request paths wait at most this long for a connection: a Postgres outage answers 503 in ~2 s.
        return Database.open(config, "flowfleet-app", REQUEST_CONNECTION_TIMEOUT);
    }

    @Bean
    FlowStore flowStore(Database database) {
        return new FlowStore(database.dataSource());
    }

    @Bean
    RunStore runStore(Database database) {
        return new RunStore(database.dataSource());
    }

    @Bean(destroyMethod = "shutdown")
    RedisClient redisClient(RuntimeConfig config) {
        return io.flowfleet.core.queue.RedisClients.create(config.redisUrl());
    }

    @Bean(destroyMethod = "close")
    RunQueue runQueue(RedisClient client) {
        return new RunQueue(client);
    }

    /** This instance's reply channel: sync callers held here get their worker's reply through it. */
    @Bean(destroyMethod = "close")
    ReplyChannel replyChannel(RedisClient client) {
        return new ReplyChannel(client, "app-" + UUID.randomUUID());
    }

    @Bean(destroyMethod = "close")
    ObjectStore objectStore(RuntimeConfig config) {
        ObjectStore store = new ObjectStore(config);
        store.ensureBucket();
        return store;
    }

    @Bean
    BundleStore bundleStore(ObjectStore objects, RuntimeConfig config) {
        return new BundleStore(objects, config.s3UseSignedUrls());
    }

    @Bean
    OutputStore outputStore(ObjectStore objects) {
        return new OutputStore(objects);
    }
}
