package io.flowfleet.worker;

import io.flowfleet.core.bundle.BundleStore;
import io.flowfleet.core.bundle.ObjectStore;
import io.flowfleet.core.bundle.OutputStore;
import io.flowfleet.core.config.ExecutionMode;
import io.flowfleet.core.config.RuntimeConfig;
import io.flowfleet.core.flow.FlowEngine;
import io.flowfleet.core.queue.ReplyPublisher;
import io.flowfleet.core.queue.RunQueue;
import io.flowfleet.core.run.HeldRuns;
import io.flowfleet.core.store.Database;
import io.flowfleet.core.store.RunStore;
import io.lettuce.core.RedisClient;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.flowfleet.worker.sandbox.ProcessSandboxRunner;
import io.flowfleet.contract.RuntimeSettings;
import org.springframework.context.annotation.Bean;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.support.DefaultLifecycleProcessor;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The runtime-core pieces a worker uses, bound to the AP_* settings. */
@Configuration(proxyBeanMethods = false)
public class WorkerBeans {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerBeans.class);

    @Bean
    RuntimeConfig runtimeConfig(Environment environment) {
        RuntimeConfig config = RuntimeConfig.from(environment::getProperty);
        // A worker holds one connection per busy slot plus heartbeat and sweeper.
        LOG.info("worker {} serving queue '{}' with {} slot(s), mode {}, reuse sandbox {}",
                config.workerId(), config.queueName(), config.workerConcurrency(), config.executionMode(), config.reuseSandbox());
        return config;
    }

    /**
     * Spring's shutdown phase budget from RuntimeConfig (AP_SHUTDOWN_GRACE_SECONDS): the queue loop's grace plus
     * what it needs after it (hand-back, slot unwind); replaces Boot's property-driven processor.
     */
    @Bean(name = AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME)
    DefaultLifecycleProcessor lifecycleProcessor(RuntimeConfig config) {
        DefaultLifecycleProcessor processor = new DefaultLifecycleProcessor();
        processor.setTimeoutPerShutdownPhase(config.workerShutdownGrace()
                .plusSeconds(RuntimeSettings.WORKER_STOP_OVERHEAD_SECONDS).toMillis());
        return processor;
    }

    @Bean(destroyMethod = "close")
    Database database(RuntimeConfig config) {
        return Database.open(config, "flowfleet-worker");
    }

    @Bean
    RunStore runStore(Database database) {
        return new RunStore(database.dataSource(), database.relaxedDataSource());
    }

    @Bean(destroyMethod = "shutdown")
    RedisClient redisClient(RuntimeConfig config) {
        return io.flowfleet.core.queue.RedisClients.create(config.redisUrl());
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

    /** The one registry of the runs this worker works on (the executor adds and removes, the loop's housekeeping reads). */
    @Bean
    HeldRuns heldRuns() {
        return new HeldRuns();
    }

    /**
     * Where flows run: one engine in this JVM (its GraalVM engine, compiled code and pooled JS
     * contexts shared by the slots), or a child JVM per slot in SANDBOX_PROCESS mode. Booted here,
     * before readiness, so the first run does not pay for it.
     */
    @Bean(destroyMethod = "close")
    FlowRunner flowRunner(RuntimeConfig config) {
        FlowRunner runner;
        if (config.executionMode() == ExecutionMode.SANDBOX_PROCESS) {
            runner = new ProcessSandboxRunner(config.workerConcurrency(), config.reuseSandbox(), config.flowTimeout(),
                    config.maxFlowRunLogSizeBytes(), config.maxFileSizeBytes(), config.sandboxJvmOptions());
        } else {
            FlowEngine engine = FlowEngine.builder()
                    .flowTimeout(config.flowTimeout())
                    .maxRunLogBytes(config.maxFlowRunLogSizeBytes())
                    .maxFileSizeBytes(config.maxFileSizeBytes())
                    .reuseSandbox(config.reuseSandbox())
                    .build();
            engine.warmUp();
            runner = new InProcessRunner(engine);
        }
        LOG.info("flows run in: {}", runner.describe());
        return runner;
    }
}
