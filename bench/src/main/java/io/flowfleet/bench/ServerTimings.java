package io.flowfleet.bench;

import io.flowfleet.local.LocalPlatform;
import io.flowfleet.local.RuntimeProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where a sync call's time goes, from the platform's own Prometheus timers, between two scrapes:
 * the app's webhook time (flowfleet_webhook, mode sync), the worker's run time from claim to
 * result stored (flowfleet_run) and each step type's time (flowfleet_step). Sums over app and
 * all workers; means per call in milliseconds.
 */
final class ServerTimings {

    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{([^}]*)})?\\s+(\\S+)");
    private static final Pattern TYPE_LABEL = Pattern.compile("type=\"([^\"]*)\"");

    private final List<URI> endpoints = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    ServerTimings(LocalPlatform platform) {
        endpoints.add(platform.app().baseUri().resolve("actuator/prometheus"));
        for (RuntimeProcess worker : platform.workers()) {
            if (worker.isAlive()) {
                endpoints.add(worker.baseUri().resolve("actuator/prometheus"));
            }
        }
    }

    /** Sums and counts of the timers, keyed like "webhook.sync", "run", "step.code"; empty when unreachable. */
    Map<String, double[]> scrape() {
        Map<String, double[]> totals = new LinkedHashMap<>();
        for (URI endpoint : endpoints) {
            try {
                String text = http.send(HttpRequest.newBuilder(endpoint).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                parse(text, totals);
            } catch (IOException e) {
                // an unreachable endpoint leaves its share out; the breakdown says what it has
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return totals;
            }
        }
        return totals;
    }

    static void parse(String prometheusText, Map<String, double[]> totals) {
        for (String line : prometheusText.split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (line.startsWith("#") || !sample.find()) {
                continue;
            }
            String name = sample.group(1);
            String labels = sample.group(3) == null ? "" : sample.group(3);
            String key;
            if (name.startsWith("flowfleet_webhook_seconds_") && labels.contains("mode=\"sync\"")) {
                key = "webhook.sync";
            } else if (name.startsWith("flowfleet_run_seconds_")) {
                key = "run";
            } else if (name.startsWith("flowfleet_step_seconds_")) {
                Matcher type = TYPE_LABEL.matcher(labels);
                key = "step." + (type.find() ? type.group(1) : "unknown");
            } else {
                continue;
            }
            int slot;
            if (name.endsWith("_seconds_sum")) {
                slot = 0;
            } else if (name.endsWith("_seconds_count")) {
                slot = 1;
            } else {
                continue;
            }
            totals.computeIfAbsent(key, k -> new double[2])[slot] += Double.parseDouble(sample.group(4));
        }
    }

    /** Mean milliseconds per call of each timer between two scrapes (timers without calls are left out). */
    static Map<String, Double> meanMillis(Map<String, double[]> before, Map<String, double[]> after) {
        Map<String, Double> means = new LinkedHashMap<>();
        after.forEach((key, sumAndCount) -> {
            double[] earlier = before.getOrDefault(key, new double[2]);
            double count = sumAndCount[1] - earlier[1];
            if (count > 0) {
                means.put(key, CpuMeter.round3((sumAndCount[0] - earlier[0]) * 1000 / count));
            }
        });
        return means;
    }
}
