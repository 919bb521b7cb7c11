package io.flowfleet.app;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.springframework.stereotype.Component;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

/** {@code flowfleet_webhook_seconds{mode, status}}: webhook latency and count by answer. */
@Component
public class WebhookMetrics {
    private final MeterRegistry registry;
    private final ConcurrentMap<String, Timer> timers = new ConcurrentHashMap<>();

    public WebhookMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void webhook(String mode, int status, long nanos) {
        timers.computeIfAbsent(mode + status, k -> Timer.builder("flowfleet.webhook")
                        .description("Webhook calls by mode (sync/async) and HTTP status, with their latency")
                        .tag("mode", mode).tag("status", Integer.toString(status))
                        .publishPercentileHistogram()
                        .register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }
}
