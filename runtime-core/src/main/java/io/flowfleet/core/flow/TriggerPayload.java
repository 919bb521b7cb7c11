package io.flowfleet.core.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * What fired the flow: the webhook call. Header names are lower-cased (HTTP headers are
 * case-insensitive), so {@code {{trigger.headers.x-id}}} matches {@code X-Id}.
 * The trigger step's output is {@code {"method", "headers", "queryParams", "body"}}.
 */
public record TriggerPayload(String method, Map<String, String> headers, Map<String, String> queryParams,
                             JsonNode body) {

    public TriggerPayload {
        method = method == null ? "POST" : method;
        Map<String, String> lower = new LinkedHashMap<>();
        if (headers != null) {
            headers.forEach((k, v) -> lower.put(k.toLowerCase(Locale.ROOT), v));
        }
        headers = Map.copyOf(lower);
        queryParams = queryParams == null ? Map.of() : Map.copyOf(queryParams);
        body = body == null ? NullNode.getInstance() : body;
    }

    /** A POST with only a JSON body. */
    public static TriggerPayload ofBody(JsonNode body) {
        return new TriggerPayload("POST", Map.of(), Map.of(), body);
    }

    /** The trigger step's output, as templates see it under {@code trigger}. */
    public ObjectNode toOutput() {
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("method", method);
        ObjectNode h = out.putObject("headers");
        headers.forEach(h::put);
        ObjectNode q = out.putObject("queryParams");
        queryParams.forEach(q::put);
        out.set("body", body);
        return out;
    }
}
