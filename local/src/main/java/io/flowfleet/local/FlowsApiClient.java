package io.flowfleet.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** The app's flows API and webhooks (docs/architecture.md), as the local platform and the benchmark use them. */
public final class FlowsApiClient implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final URI baseUri;
    private final String apiKey;
    private final HttpClient http;

    public FlowsApiClient(URI baseUri, String apiKey) {
        this.baseUri = baseUri;
        this.apiKey = apiKey;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).version(HttpClient.Version.HTTP_1_1).build();
    }

    /** Creates a flow from a definition (Flowfleet or Activepieces JSON) in project {@code default}; returns its id. */
    public String create(String definition) {
        JsonNode created = send(management("api/v1/flows").POST(HttpRequest.BodyPublishers.ofString(definition)), 201);
        JsonNode id = created.get("id");
        if (id == null || id.asText().isEmpty()) {
            throw new IllegalStateException("POST /api/v1/flows answered without an id: " + created);
        }
        return id.asText();
    }

    /** Replaces a flow's draft. */
    public void update(String flowId, String definition) {
        send(management("api/v1/flows/" + flowId).PUT(HttpRequest.BodyPublishers.ofString(definition)), 200);
    }

    /** Publishes the draft (bundle to S3) and enables the flow. */
    public void publish(String flowId) {
        send(management("api/v1/flows/" + flowId + "/publish").POST(HttpRequest.BodyPublishers.noBody()), 200);
    }

    /** Creates and publishes a flow; returns its id. */
    public String createAndPublish(String definition) {
        String id = create(definition);
        publish(id);
        return id;
    }

    /** GET /api/v1/flows/{id}: the flow, or empty when the app does not know it. */
    public java.util.Optional<JsonNode> find(String flowId) {
        HttpResponse<String> response = exchange(management("api/v1/flows/" + flowId).GET());
        if (response.statusCode() == 404 || response.statusCode() == 410) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(parse(response, 200));
    }

    /** The sync webhook's URI for a flow. */
    public URI syncWebhook(String flowId) {
        return baseUri.resolve("api/v1/webhooks/" + flowId + "/sync");
    }

    /** Calls the sync webhook once with a JSON payload; returns the raw response. */
    public HttpResponse<String> callSync(String flowId, String payload) {
        return exchange(HttpRequest.newBuilder(syncWebhook(flowId))
                .timeout(TIMEOUT)
                .header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(payload)));
    }

    @Override
    public void close() {
        http.close();
    }

    private HttpRequest.Builder management(String path) {
        return HttpRequest.newBuilder(baseUri.resolve(path))
                .timeout(TIMEOUT)
                .header("X-API-Key", apiKey)
                .header("content-type", "application/json");
    }

    private JsonNode send(HttpRequest.Builder request, int expectedStatus) {
        return parse(exchange(request), expectedStatus);
    }

    private HttpResponse<String> exchange(HttpRequest.Builder request) {
        HttpRequest built = request.build();
        try {
            return http.send(built, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(built.method() + " " + built.uri() + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during " + built.method() + " " + built.uri(), e);
        }
    }

    private static JsonNode parse(HttpResponse<String> response, int expectedStatus) {
        HttpRequest request = response.request();
        if (response.statusCode() != expectedStatus && !(expectedStatus == 200 && response.statusCode() == 204)) {
            throw new IllegalStateException(request.method() + " " + request.uri().getPath() + " answered "
                    + response.statusCode() + " (expected " + expectedStatus + "): " + response.body());
        }
        try {
            return response.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException(request.method() + " " + request.uri().getPath()
                    + " answered something other than JSON: " + response.body(), e);
        }
    }
}
