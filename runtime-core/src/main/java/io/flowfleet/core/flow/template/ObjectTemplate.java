package io.flowfleet.core.flow.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/** A JSON object with templates in some of its values. */
public record ObjectTemplate(Map<String, Template> fields) implements Template {

    @Override
    public JsonNode resolve(Scope scope) {
        ObjectNode out = JsonNodeFactory.instance.objectNode();
        for (Map.Entry<String, Template> e : fields.entrySet()) {
            out.set(e.getKey(), e.getValue().resolve(scope));
        }
        return out;
    }
}
