package io.flowfleet.bench;

import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ServerTimingsTest {

    private static Map<String, double[]> parse(String text) {
        Map<String, double[]> totals = new LinkedHashMap<>();
        ServerTimings.parse(text, totals);
        return totals;
    }

    @Test
    void meansPerCallOfTheSyncWebhookRunsAndStepsBetweenTwoScrapes() {
        Map<String, double[]> before = parse("""
                # TYPE flowfleet_webhook_seconds histogram
                flowfleet_webhook_seconds_count{mode="sync",status="200",} 10.0
                flowfleet_webhook_seconds_sum{mode="sync",status="200",} 0.05
                flowfleet_webhook_seconds_count{mode="async",status="200",} 4.0
                flowfleet_webhook_seconds_sum{mode="async",status="200",} 9.0
                flowfleet_run_seconds_count{start="warm",status="SUCCEEDED",} 10.0
                flowfleet_run_seconds_sum{start="warm",status="SUCCEEDED",} 0.02
                flowfleet_step_seconds_bucket{status="SUCCEEDED",type="code",le="0.001",} 10.0
                flowfleet_step_seconds_count{status="SUCCEEDED",type="code",} 10.0
                flowfleet_step_seconds_sum{status="SUCCEEDED",type="code",} 0.001
                """);
        Map<String, double[]> after = parse("""
                flowfleet_webhook_seconds_count{mode="sync",status="200",} 110.0
                flowfleet_webhook_seconds_sum{mode="sync",status="200",} 0.25
                flowfleet_webhook_seconds_count{mode="async",status="200",} 5.0
                flowfleet_webhook_seconds_sum{mode="async",status="200",} 10.0
                flowfleet_run_seconds_count{start="warm",status="SUCCEEDED",} 60.0
                flowfleet_run_seconds_sum{start="warm",status="SUCCEEDED",} 0.07
                flowfleet_run_seconds_count{start="cold",status="SUCCEEDED",} 50.0
                flowfleet_run_seconds_sum{start="cold",status="SUCCEEDED",} 0.05
                flowfleet_step_seconds_count{status="SUCCEEDED",type="code",} 110.0
                flowfleet_step_seconds_sum{status="SUCCEEDED",type="code",} 0.011
                """);

        Map<String, Double> means = ServerTimings.meanMillis(before, after);

        assertThat(means).containsEntry("webhook.sync", 2.0)   // 0.2 s over 100 sync calls; async left out
                .containsEntry("run", 1.0)                      // 0.1 s over 100 runs, warm and cold summed
                .containsEntry("step.code", 0.1)
                .hasSize(3);
    }
}
