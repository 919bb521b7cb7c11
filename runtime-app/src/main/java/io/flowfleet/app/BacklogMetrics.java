package io.flowfleet.app;

import io.flowfleet.core.config.QueueRoutes;
import io.flowfleet.core.config.RuntimeConfig;
import io.flowfleet.core.queue.QueueState;
import io.flowfleet.core.queue.RunQueue;
import io.flowfleet.core.flow.RunStatus;
import io.flowfleet.core.store.RunStore;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sampled every few seconds (not on scrape, so a slow Redis never stalls Prometheus):
 * {@code flowfleet_queue_depth{queue, state=waiting|pending}} for the default queue and every routed
 * one, and {@code flowfleet_runs_open{status=QUEUED|RUNNING}} from Postgres.
 */
@Component
public class BacklogMetrics {
    private static final Logger LOG = LoggerFactory.getLogger(BacklogMetrics.class);

    private final RunQueue queue;
    private final RunStore runs;
    private final Set<String> queues = new TreeSet<>();
    private final Map<String, AtomicLong> values = new ConcurrentHashMap<>();
    private final MeterRegistry registry;

    public BacklogMetrics(RunQueue queue, RunStore runs, RuntimeConfig config, MeterRegistry registry) {
        this.queue = queue;
        this.runs = runs;
        this.registry = registry;
        queues.add(QueueRoutes.DEFAULT_QUEUE);
        queues.addAll(config.queueRoutes().projectToQueue().values());
        for (String q : queues) {
            gauge("flowfleet.queue.depth", "queue", q, "state", "waiting");
            gauge("flowfleet.queue.depth", "queue", q, "state", "pending");
        }
        for (RunStatus s : new RunStatus[] {RunStatus.QUEUED, RunStatus.RUNNING}) gauge("flowfleet.runs.open", "status", s.name());
    }

    private void gauge(String name, String... tags) {
        AtomicLong value = new AtomicLong();
        values.put(name + String.join(",", tags), value);
        Gauge.builder(name, value, AtomicLong::doubleValue).tags(tags).register(registry);
    }

    private void set(long v, String name, String... tags) {
        AtomicLong value = values.get(name + String.join(",", tags));
        if (value != null) value.set(v);
    }

    @Scheduled(fixedDelay = 5_000, initialDelay = 1_000)
    void sample() {
        try {
            for (String q : queues) {
                QueueState state = queue.state(q);
                set(state.waiting(), "flowfleet.queue.depth", "queue", q, "state", "waiting");
                set(state.pending(), "flowfleet.queue.depth", "queue", q, "state", "pending");
            }
            runs.countOpen().forEach((status, count) -> set(count, "flowfleet.runs.open", "status", status.name()));
        } catch (RuntimeException e) {
            LOG.debug("backlog sample failed: {}", e.toString());
        }
    }
}
