package io.flowfleet.core.queue;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What a worker sends the app holding a sync caller: the flow's Return Response ({@code status},
 * {@code headers}, {@code body} as it goes on the wire), or the error of a run that failed before
 * responding ({@code failed}).
 */
public record Reply(UUID runId, boolean failed, int status, Map<String, String> headers, String body, String error) {
    private static final ObjectMapper JSON = io.flowfleet.core.flow.Json.MAPPER;

    public static Reply response(UUID runId, int status, Map<String, String> headers, String body) {
        return new Reply(runId, false, status, headers == null ? Map.of() : headers, body, null);
    }

    public static Reply failure(UUID runId, String error) {
        return new Reply(runId, true, 500, Map.of(), null, error);
    }

    public String encode() {
        StringWriter out = new StringWriter(96 + (body == null ? 0 : body.length()));
        try (JsonGenerator g = JSON.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("run", runId.toString());
            g.writeBooleanField("failed", failed);
            g.writeNumberField("status", status);
            if (!headers.isEmpty()) {
                g.writeObjectFieldStart("headers");
                for (Map.Entry<String, String> h : headers.entrySet()) g.writeStringField(h.getKey(), h.getValue());
                g.writeEndObject();
            }
            if (body != null) g.writeStringField("body", body);
            if (error != null) g.writeStringField("error", error);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static Reply decode(String message) {
        try {
            JsonNode n = JSON.readTree(message);
            Map<String, String> headers = new LinkedHashMap<>();
            JsonNode h = n.get("headers");
            if (h != null) h.properties().forEach(e -> headers.put(e.getKey(), e.getValue().asText()));
            JsonNode body = n.get("body");
            JsonNode error = n.get("error");
            return new Reply(UUID.fromString(n.get("run").asText()), n.path("failed").asBoolean(), n.path("status").asInt(200),
                    headers, body == null ? null : body.asText(), error == null ? null : error.asText());
        } catch (JsonProcessingException | RuntimeException e) {
            throw new IllegalArgumentException("not a reply: " + e.getMessage(), e);
        }
    }
}
