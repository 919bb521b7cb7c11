package io.flowfleet.core.flow;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What fired the flow: the webhook call. Header names are lower-cased (HTTP headers are
 * case-insensitive), so {@code {{trigger.headers.x-id}}} matches {@code X-Id}.
 *
 * <p>Its one JSON form, {@code {"method", "headers", "queryParams", "body"}}, is the trigger step's
 * output, the payload the app stores and enqueues, and the trigger of the sandbox protocol; this type
 * is its only codec ({@link #toJson()}, {@link #fromJson}, and {@link #toJson(String, Map, Map, String,
 * boolean)} for the app, which embeds a checked body without parsing it).
 */
public record TriggerPayload(String method, Map<String, String> headers, Map<String, String> queryParams,
                             JsonNode body) {

    public TriggerPayload {
        method = method == null ? "POST" : method;
        Map<String, String> lower = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((k, v) -> {
                if (k != null && v != null) lower.put(k.toLowerCase(Locale.ROOT), v);
            });
        }
        headers = Map.copyOf(lower);
        Map<String, String> query = new LinkedHashMap<>();
        if (queryParams != null) {
            queryParams.forEach((k, v) -> {
                if (k != null && v != null) query.put(k, v);
            });
        }
        queryParams = Map.copyOf(query);
        body = body == null ? NullNode.getInstance() : body;
    }

    /** A POST with only a JSON body. */
    public static TriggerPayload ofBody(JsonNode body) {
        return new TriggerPayload("POST", Map.of(), Map.of(), body);
    }

    /** The JSON form; also the trigger step's output, as templates see it under {@code trigger}. */
    public ObjectNode toJson() {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("method", method);
        ObjectNode h = out.putObject("headers");
        headers.forEach(h::put);
        ObjectNode q = out.putObject("queryParams");
        queryParams.forEach(q::put);
        out.set("body", body);
        return out;
    }

    /**
     * Reads the JSON form. Missing parts take their defaults (POST, no headers, no query, a null
     * body); a header or query value that is not a string is read as its text (numbers, booleans)
     * or its JSON (objects, arrays); null values are left out.
     */
    public static TriggerPayload fromJson(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) return new TriggerPayload(null, null, null, null);
        if (!node.isObject()) throw new IllegalArgumentException("a trigger payload is a JSON object, not " + node.getNodeType());
        JsonNode method = node.get("method");
        return new TriggerPayload(method == null || method.isNull() ? null : method.asText(),
                strings(node.get("headers")), strings(node.get("queryParams")), node.get("body"));
    }

    /** Reads the JSON form from text (null or blank: an empty POST). */
    public static TriggerPayload fromJson(String json) {
        if (json == null || json.isBlank()) return fromJson((JsonNode) null);
        try {
            return fromJson(Json.MAPPER.readTree(json));
        } catch (IOException e) {
            throw new IllegalArgumentException("the trigger payload is not JSON: " + e.getMessage(), e);
        }
    }

    /**
     * The JSON form as text, written around a body the caller has already checked: {@code body} is
     * embedded as-is when {@code bodyIsJson} (a large body is never parsed into a tree), else as a
     * string; null or blank is a null body. Header names are lower-cased as in the record.
     */
    public static String toJson(String method, Map<String, String> headers, Map<String, String> queryParams,
                                String body, boolean bodyIsJson) {
        StringWriter out = new StringWriter((body == null ? 0 : body.length()) + 256);
        try (JsonGenerator g = Json.FACTORY.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("method", method == null ? "POST" : method);
            g.writeObjectFieldStart("headers");
            if (headers != null) {
                for (Map.Entry<String, String> h : headers.entrySet()) {
                    if (h.getKey() != null && h.getValue() != null) g.writeStringField(h.getKey().toLowerCase(Locale.ROOT), h.getValue());
                }
            }
            g.writeEndObject();
            g.writeObjectFieldStart("queryParams");
            if (queryParams != null) {
                for (Map.Entry<String, String> q : queryParams.entrySet()) {
                    if (q.getKey() != null && q.getValue() != null) g.writeStringField(q.getKey(), q.getValue());
                }
            }
            g.writeEndObject();
            g.writeFieldName("body");
            if (body == null || body.isBlank()) g.writeNull();
            else if (bodyIsJson) g.writeRawValue(body.strip());
            else g.writeString(body);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        if (object == null || !object.isObject()) return out;
        object.properties().forEach(e -> {
            JsonNode v = e.getValue();
            if (v == null || v.isNull()) return;
            out.put(e.getKey(), v.isContainerNode() ? v.toString() : v.asText());
        });
        return out;
    }
}
