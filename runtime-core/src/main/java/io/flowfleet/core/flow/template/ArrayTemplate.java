package io.flowfleet.core.flow.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

import java.util.List;

/** A JSON array with templates in some of its elements. */
public record ArrayTemplate(List<Template> elements) implements Template {

    @Override
    public JsonNode resolve(Scope scope) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode(elements.size());
        for (Template element : elements) {
            out.add(element.resolve(scope));
        }
        return out;
    }
}
