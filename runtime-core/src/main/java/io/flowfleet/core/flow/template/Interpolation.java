package io.flowfleet.core.flow.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;

import java.util.List;

/** A text with references inside, e.g. {@code "Hello {{trigger.body.name}}"}: always a string. */
public record Interpolation(List<Object> parts) implements Template {

    @Override
    public JsonNode resolve(Scope scope) {
        StringBuilder out = new StringBuilder();
        for (Object part : parts) {
            if (part instanceof Reference ref) {
                appendText(out, ref.resolve(scope));
            } else {
                out.append((String) part);
            }
        }
        return TextNode.valueOf(out.toString());
    }

    /** Text as is, null as nothing, anything else as its JSON. */
    static void appendText(StringBuilder out, JsonNode value) {
        if (value == null || value.isNull()) {
            return;
        }
        if (value.isTextual()) {
            out.append(value.textValue());
        } else {
            out.append(value);
        }
    }
}
