package io.flowfleet.core.flow;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;

/** Estimates the size of a JSON tree as text, without writing it; stops counting past a limit. */
final class JsonSize {
    private JsonSize() {
    }

    static long estimate(JsonNode node, long stopAfter) {
        if (node == null) {
            return 4;
        }
        if (node.isTextual()) {
            return node.textValue().length() + 2L;
        }
        if (node.isObject()) {
            long size = 2;
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext() && size <= stopAfter; ) {
                Map.Entry<String, JsonNode> e = it.next();
                size += e.getKey().length() + 4 + estimate(e.getValue(), stopAfter - size);
            }
            return size;
        }
        if (node.isArray()) {
            long size = 2;
            for (int i = 0, n = node.size(); i < n && size <= stopAfter; i++) {
                size += 1 + estimate(node.get(i), stopAfter - size);
            }
            return size;
        }
        if (node.isBinary()) {
            return node.asText().length() + 2L;
        }
        return node.isNumber() ? 8 : 5;
    }
}
