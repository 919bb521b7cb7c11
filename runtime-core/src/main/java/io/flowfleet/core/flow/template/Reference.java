package io.flowfleet.core.flow.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

import java.util.List;

/**
 * {@code {{root.a.b[0]}}}: the trigger's or a step's output, then a path into it. Missing parts
 * resolve to JSON null.
 *
 * @param root     trigger or step name
 * @param path     field names (String) and array indexes (Integer)
 * @param source   the template as written, for messages
 */
public record Reference(String root, List<Object> path, String source) implements Template {

    @Override
    public JsonNode resolve(Scope scope) {
        JsonNode node = scope.output(root);
        for (int i = 0, n = path.size(); i < n && node != null; i++) {
            Object segment = path.get(i);
            if (segment instanceof Integer index) {
                node = node.get(index);
            } else if (node.isArray()) {
                node = arrayElement(node, (String) segment);
            } else {
                node = node.get((String) segment);
            }
        }
        return node == null || node.isMissingNode() ? NullNode.getInstance() : node;
    }

    private static JsonNode arrayElement(JsonNode array, String segment) {
        if ("length".equals(segment)) {
            return com.fasterxml.jackson.databind.node.IntNode.valueOf(array.size());
        }
        try {
            return array.get(Integer.parseInt(segment));
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
