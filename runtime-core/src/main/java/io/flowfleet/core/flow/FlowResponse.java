package io.flowfleet.core.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The answer of a Return Response step, for the sync webhook caller.
 *
 * @param status  HTTP status
 * @param headers response headers as the flow set them
 * @param body    the JSON body, or for a raw body a text node
 * @param raw     true when the body is raw text rather than JSON
 */
public record FlowResponse(int status, Map<String, String> headers, JsonNode body, boolean raw) {

    public FlowResponse {
        headers = headers == null ? Map.of() : Map.copyOf(headers);
    }

    /** The body as it goes on the wire: JSON text, or the raw text itself. */
    public byte[] bodyBytes() {
        if (raw) {
            return (body == null || body.isNull() ? "" : body.isTextual() ? body.textValue() : body.toString())
                    .getBytes(StandardCharsets.UTF_8);
        }
        return (body == null ? "null" : body.toString()).getBytes(StandardCharsets.UTF_8);
    }

    /** The flow's own Content-Type header if it set one, else JSON or plain text. */
    public String contentType() {
        for (var e : headers.entrySet()) {
            if (e.getKey().equalsIgnoreCase("content-type")) {
                return e.getValue();
            }
        }
        return raw ? "text/plain; charset=utf-8" : "application/json";
    }

    public ObjectNode toJson() {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("status", status);
        ObjectNode h = out.putObject("headers");
        headers.forEach(h::put);
        out.set("body", body);
        return out;
    }
}
