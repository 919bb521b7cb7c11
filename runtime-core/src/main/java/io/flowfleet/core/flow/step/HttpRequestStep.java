package io.flowfleet.core.flow.step;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.flowfleet.core.flow.Json;
import io.flowfleet.core.flow.template.Template;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.Charset;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code http_request}: {@code method} (GET), {@code url}, {@code headers}, {@code queryParams},
 * {@code body} (JSON value, sent as JSON; a string is sent as is), {@code timeoutMs} (30000),
 * {@code failOnErrorStatus} (true: a 4xx/5xx answer fails the step), {@code idempotencyKey} (default
 * true: send an {@value #IDEMPOTENCY_HEADER} header derived from the run id and the step name, the same
 * when the run is delivered again; a string (templates allowed) sends that key instead; false sends
 * none; a header of that name set in {@code headers} always wins). Output:
 * {@code {status, headers, body}}; a JSON answer is parsed, any other is text.
 */
public final class HttpRequestStep extends Step {
    public static final String TYPE = "http_request";
    static final Set<String> METHODS = Set.of("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS");
    private static final int MAX_ERROR_BODY = 500;
    static final String IDEMPOTENCY_HEADER = "Idempotency-Key";

    private final boolean failOnErrorStatus;

    private HttpRequestStep(String name, Template input, ErrorOptions errors, boolean failOnErrorStatus) {
        super(name, input, errors);
        this.failOnErrorStatus = failOnErrorStatus;
    }

    public static HttpRequestStep parse(String name, StepSettings s, ErrorOptions errors) {
        s.allowOnly(Set.of("method", "url", "headers", "queryParams", "body", "timeoutMs", "failOnErrorStatus", "idempotencyKey"));
        ObjectNode input = StepSettings.object();
        input.put("method", s.text("method", "GET", METHODS));
        JsonNode url = s.required("url");
        if (url != null && url.isTextual() && !url.textValue().contains("{{")
                && !(url.textValue().startsWith("http://") || url.textValue().startsWith("https://"))) {
            s.problem("settings.url must be an http:// or https:// URL");
        }
        input.set("url", url);
        for (String key : List.of("headers", "queryParams")) {
            JsonNode v = s.get(key);
            if (v != null && !v.isObject()) {
                s.problem("settings." + key + " must be an object");
            }
            input.set(key, v == null ? StepSettings.object() : v);
        }
        input.set("body", s.get("body"));
        JsonNode timeout = s.get("timeoutMs");
        if (timeout != null && !(timeout.isIntegralNumber() && timeout.asLong() > 0)) {
            s.problem("settings.timeoutMs must be a positive whole number");
        }
        input.put("timeoutMs", timeout == null ? 30_000 : timeout.asLong());
        JsonNode key = s.get("idempotencyKey");
        if (key != null && !key.isBoolean() && !key.isTextual()) {
            s.problem("settings.idempotencyKey must be true, false or a string");
        }
        input.set("idempotencyKey", key == null ? BooleanNode.TRUE : key);
        JsonNode fail = s.get("failOnErrorStatus");
        if (fail != null && !fail.isBoolean()) {
            s.problem("settings.failOnErrorStatus must be true or false");
        }
        return new HttpRequestStep(name, s.input(input), errors, fail == null || fail.asBoolean());
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public JsonNode execute(JsonNode input, StepContext context) throws Exception {
        String method = input.path("method").asText("GET");
        URI uri = uri(input);
        long timeout = Math.min(input.path("timeoutMs").asLong(30_000), Math.max(1, context.remainingMillis()));
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMillis(timeout));
        boolean hasContentType = false;
        boolean hasIdempotencyKey = false;
        for (Iterator<Map.Entry<String, JsonNode>> it = input.path("headers").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> h = it.next();
            hasContentType |= h.getKey().equalsIgnoreCase("content-type");
            hasIdempotencyKey |= h.getKey().equalsIgnoreCase(IDEMPOTENCY_HEADER);
            try {
                request.header(h.getKey(), h.getValue().isTextual() ? h.getValue().textValue() : h.getValue().toString());
            } catch (IllegalArgumentException e) {
                throw new StepFailedException("header " + h.getKey() + " is not allowed: " + e.getMessage(), false);
            }
        }
        if (!hasIdempotencyKey) {
            String key = idempotencyKey(input.get("idempotencyKey"), context);
            if (key != null) {
                try {
                    request.header(IDEMPOTENCY_HEADER, key);
                } catch (IllegalArgumentException e) {
                    throw new StepFailedException("idempotencyKey is not a valid header value: " + e.getMessage(), false);
                }
            }
        }
        JsonNode body = input.get("body");
        HttpRequest.BodyPublisher publisher;
        if (body == null || body.isNull()) {
            publisher = HttpRequest.BodyPublishers.noBody();
        } else if (body.isTextual()) {
            publisher = HttpRequest.BodyPublishers.ofString(body.textValue());
        } else {
            publisher = HttpRequest.BodyPublishers.ofString(body.toString());
            if (!hasContentType) {
                request.header("Content-Type", "application/json");
            }
        }
        request.method(method, publisher);
        HttpResponse<InputStream> response;
        String text;
        try {
            response = context.httpClient().send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            text = readBody(response, context.maxFileSizeBytes(), method + " " + uri);
        } catch (HttpTimeoutException e) {
            throw new StepFailedException(method + " " + uri + " timed out after " + timeout + " ms");
        } catch (IOException e) {
            throw new StepFailedException(method + " " + uri + " failed: " + e);
        }
        ObjectNode out = StepSettings.object();
        out.put("status", response.statusCode());
        ObjectNode headers = out.putObject("headers");
        response.headers().map().forEach((k, v) -> {
            if (!k.startsWith(":")) {
                headers.put(k.toLowerCase(Locale.ROOT), String.join(", ", v));
            }
        });
        out.set("body", parseBody(response, text));
        if (failOnErrorStatus && response.statusCode() >= 400) {
            throw new StepFailedException(method + " " + uri + " answered " + response.statusCode() + ": "
                    + (text.length() > MAX_ERROR_BODY ? text.substring(0, MAX_ERROR_BODY) + "..." : text));
        }
        return out;
    }

    /** The key to send: derived (true or absent), the user's (a string), or none (false, empty). */
    private String idempotencyKey(JsonNode setting, StepContext context) {
        if (setting == null || setting.isNull() || (setting.isBoolean() && setting.booleanValue())) {
            return context.idempotencyKey(name());
        }
        if (setting.isTextual() && !setting.textValue().isBlank()) {
            return setting.textValue();
        }
        return null;
    }

    private static URI uri(JsonNode input) throws StepFailedException {
        String url = input.path("url").asText("");
        StringBuilder query = new StringBuilder();
        for (Iterator<Map.Entry<String, JsonNode>> it = input.path("queryParams").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> q = it.next();
            query.append(query.isEmpty() ? "" : "&")
                    .append(URLEncoder.encode(q.getKey(), StandardCharsets.UTF_8)).append('=')
                    .append(URLEncoder.encode(q.getValue().isTextual() ? q.getValue().textValue() : q.getValue().toString(),
                            StandardCharsets.UTF_8));
        }
        if (!query.isEmpty()) {
            url = url + (url.contains("?") ? "&" : "?") + query;
        }
        try {
            URI uri = URI.create(url);
            if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
                throw new StepFailedException("url must be http:// or https://: " + url, false);
            }
            return uri;
        } catch (IllegalArgumentException e) {
            throw new StepFailedException("url is not valid: " + url, false);
        }
    }

    /**
     * The response body as text, read no further than the file size limit: a larger body fails the step (not
     * retried: the same request would get the same body) before it is held in memory whole.
     */
    private static String readBody(HttpResponse<InputStream> response, long limit, String call)
            throws IOException, StepFailedException {
        long declared = response.headers().firstValueAsLong("content-length").orElse(-1);
        try (InputStream in = response.body()) {
            if (declared > limit) {
                throw tooLarge(call, limit);
            }
            byte[] bytes = in.readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
            if (bytes.length > limit) {
                throw tooLarge(call, limit);
            }
            return new String(bytes, charset(response));
        }
    }

    private static StepFailedException tooLarge(String call, long limit) {
        return new StepFailedException("the response body of " + call + " is larger than " + FileSizeLimit.describe(limit)
                + ", the largest a step may receive", false);
    }

    private static Charset charset(HttpResponse<?> response) {
        String type = response.headers().firstValue("content-type").orElse("");
        for (String part : type.split(";")) {
            String p = part.trim();
            if (p.regionMatches(true, 0, "charset=", 0, 8)) {
                try {
                    return Charset.forName(p.substring(8).replace("\"", "").trim());
                } catch (IllegalArgumentException e) {
                    return StandardCharsets.UTF_8;
                }
            }
        }
        return StandardCharsets.UTF_8;
    }

    private static JsonNode parseBody(HttpResponse<?> response, String text) {
        if (text == null || text.isEmpty()) {
            return com.fasterxml.jackson.databind.node.NullNode.getInstance();
        }
        String type = response.headers().firstValue("content-type").orElse("").toLowerCase(Locale.ROOT);
        if (type.contains("json")) {
            try {
                return Json.MAPPER.readTree(text);
            } catch (JsonProcessingException e) {
                return TextNode.valueOf(text);
            }
        }
        return TextNode.valueOf(text);
    }
}
