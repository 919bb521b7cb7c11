package io.flowfleet.worker;

import io.flowfleet.core.bundle.BundleStore;
import io.flowfleet.core.bundle.ObjectStore;
import io.flowfleet.core.bundle.OutputStore;
import io.flowfleet.core.config.ExecutionMode;
import io.flowfleet.core.config.RuntimeConfig;
import io.flowfleet.core.flow.FlowEngine;
import io.flowfleet.core.queue.ReplyPublisher;
import io.flowfleet.core.queue.RunQueue;
import io.flowfleet.core.store.Database;
import io.flowfleet.core.store.RunStore;
import io.lettuce.core.RedisClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The runtime-core pieces a worker uses, bound to the AP_* settings. */
@Configuration(proxyBeanMethods = false)
public class WorkerBeans {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerBeans.class);

    @Bean
    RuntimeConfig runtimeConfig(Environment environment) {
        RuntimeConfig config = RuntimeConfig.from(environment::getProperty);
        if (config.executionMode() == ExecutionMode.SANDBOX_PROCESS) {
            // Refuse rather than quietly run tenants' code with weaker isolation than configured.
            throw new IllegalStateException("AP_EXECUTION_MODE=SANDBOX_PROCESS (engine in a child JVM per slot) is not"
                    + " implemented by this worker yet; use SANDBOX_CODE_ONLY (code steps in the GraalVM sandbox, engine"
                    + " in the worker JVM) until it is");
        }
        if (config.executionMode() == ExecutionMode.UNSANDBOXED) {
            LOG.warn("AP_EXECUTION_MODE=UNSANDBOXED: this worker has no unsandboxed engine; code steps still run in"
                    + " the GraalVM sandbox exactly as in SANDBOX_CODE_ONLY");
        }
        // A worker holds one connection per busy slot plus heartbeat and sweeper.
        LOG.info("worker {} serving queue '{}' with {} slot(s), mode {}, reuse sandbox {}",
                config.workerId(), config.queueName(), config.workerConcurrency(), config.executionMode(), config.reuseSandbox());
        return config;
    }

    @Bean(destroyMethod = "close")
    Database database(RuntimeConfig config) {
        return Database.open(config, "flowfleet-worker");
    }

    @Bean
    RunStore runStore(Database database) {
        return new RunStore(database.dataSource());
    }

    @Bean(destroyMethod = "shutdown")
    RedisClient redisClient(RuntimeConfig config) {
        return RedisClient.create(config.redisUrl());
    }

    @Bean(destroyMethod = "close")
    RunQueue runQueue(RedisClient client) {
        return new RunQueue(client);
    }

    @Bean(destroyMethod = "close")
    ReplyPublisher replyPublisher(RedisClient client) {
        return new ReplyPublisher(client);
    }

    @Bean(destroyMethod = "close")
    ObjectStore objectStore(RuntimeConfig config) {
        return new ObjectStore(config);
    }

    @Bean
    BundleStore bundleStore(ObjectStore objects, RuntimeConfig config) {
        return new BundleStore(objects, config.s3UseSignedUrls());
    }

    @Bean
    OutputStore outputStore(ObjectStore objects) {
        return new OutputStore(objects);
    }

    /** One engine per process: the shared GraalVM engine, compiled code and pooled JS contexts. */
    @Bean(destroyMethod = "close")
    FlowEngine flowEngine(RuntimeConfig config) {
        FlowEngine engine = FlowEngine.builder()
                .flowTimeout(config.flowTimeout())
                .maxRunLogBytes(config.maxFlowRunLogSizeBytes())
                .reuseSandbox(config.reuseSandbox())
                .build();
        // Boot the JS engine now, before readiness, so the first run does not pay for it.
        engine.warmUp();
        LOG.info("flow engine ready, JS runtime: {}", engine.jsRuntime());
        return engine;
    }
}
