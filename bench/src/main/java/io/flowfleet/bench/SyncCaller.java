package io.flowfleet.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Calls sync webhooks with java.net.http's client (HTTP/1.1, pooled keep-alive connections) and
 * checks each answer: status 200 and the expected JSON body. Loopback only.
 */
final class SyncCaller implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http;
    private final JsonNode expectedBody;
    private final String payload;
    private final Duration timeout;
    private final java.util.concurrent.atomic.AtomicLong successes = new java.util.concurrent.atomic.AtomicLong();

    SyncCaller(String payload, String expectedBody, Duration timeout) {
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        this.payload = payload;
        this.timeout = timeout;
        try {
            this.expectedBody = JSON.readTree(expectedBody);
        } catch (IOException e) {
            throw new IllegalArgumentException("the expected body is not JSON: " + expectedBody, e);
        }
    }

    CallOutcome call(URI webhook) {
        if (!webhook.getHost().equals("127.0.0.1") && !webhook.getHost().equals("localhost")) {
            throw new IllegalArgumentException("the benchmark calls loopback only, not " + webhook);
        }
        HttpRequest request = HttpRequest.newBuilder(webhook)
                .timeout(timeout)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(payload))
                .build();
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            long nanos = System.nanoTime() - start;
            if (response.statusCode() != 200) {
                return CallOutcome.failure(nanos, "status " + response.statusCode() + ": " + abbreviate(response.body()));
            }
            JsonNode body;
            try {
                body = JSON.readTree(response.body());
            } catch (IOException notJson) {
                return CallOutcome.failure(nanos, "body is not JSON: " + abbreviate(response.body()));
            }
            if (expectedBody.equals(body)) {
                successes.incrementAndGet();
                return CallOutcome.success(nanos);
            }
            return CallOutcome.failure(nanos, "unexpected body " + abbreviate(response.body()) + ", expected " + expectedBody);
        } catch (IOException e) {
            return CallOutcome.failure(System.nanoTime() - start, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CallOutcome.failure(System.nanoTime() - start, "interrupted");
        }
    }

    /**
     * A GET that should answer 200 (any body): the floor of one HTTP exchange with the app through
     * this client, to tell the platform's own time from the transport's.
     */
    CallOutcome get(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        long start = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            long nanos = System.nanoTime() - start;
            return response.statusCode() == 200 ? CallOutcome.success(nanos)
                    : CallOutcome.failure(nanos, "status " + response.statusCode() + ": " + abbreviate(response.body()));
        } catch (IOException e) {
            return CallOutcome.failure(System.nanoTime() - start, e.getClass().getSimpleName() + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return CallOutcome.failure(System.nanoTime() - start, "interrupted");
        }
    }

    /** Calls that answered 200 with the expected body, over this caller's life (warm-ups included). */
    long successes() {
        return successes.get();
    }

    @Override
    public void close() {
        http.close();
    }

    private static String abbreviate(String text) {
        return text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}
