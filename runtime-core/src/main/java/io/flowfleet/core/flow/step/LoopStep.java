package io.flowfleet.core.flow.step;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowfleet.core.flow.template.Template;

import java.util.List;
import java.util.Set;

/**
 * {@code loop}: runs {@code steps} once per element of {@code items} (an array, usually a
 * template). Inside, {@code {{loop_name.item}}} and {@code {{loop_name.index}}} are the current
 * element and its index. Output: {@code {"iterations": [{step name: output, ...} per item]}}.
 */
public final class LoopStep extends Step {
    public static final String TYPE = "loop";

    private final List<Step> body;

    private LoopStep(String name, Template input, ErrorOptions errors, List<Step> body) {
        super(name, input, errors);
        this.body = List.copyOf(body);
    }

    public static LoopStep parse(String name, StepSettings s, ErrorOptions errors) {
        s.allowOnly(Set.of("items", "steps"));
        JsonNode items = s.required("items");
        if (items != null && !items.isArray() && !(items.isTextual() && items.textValue().contains("{{"))) {
            s.problem("settings.items must be an array or a template giving one");
        }
        ObjectNode input = StepSettings.object();
        input.set("items", items);
        Template compiled = s.input(input);
        List<Step> body = s.chain("steps", true);
        return new LoopStep(name, compiled, errors, body);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean pure() {
        return true;
    }

    @Override
    public List<List<Step>> children() {
        return List.of(body);
    }

    @Override
    public JsonNode execute(JsonNode input, StepContext context) throws Exception {
        JsonNode items = input.get("items");
        if (items == null || !items.isArray()) {
            throw new StepFailedException("items is not an array: " + (items == null ? "null" : abbreviate(items.toString())), false);
        }
        ObjectNode out = StepSettings.object();
        ArrayNode iterations = out.putArray("iterations");
        for (int i = 0; i < items.size() && !context.stopped(); i++) {
            ObjectNode current = StepSettings.object();
            current.set("item", items.get(i));
            current.put("index", i);
            context.setOutput(name(), current);
            for (Step step : body) {
                context.setOutput(step.name(), null); // nothing from the previous item
            }
            context.runChain(body);
            ObjectNode outputs = iterations.addObject();
            for (Step step : body) {
                JsonNode o = context.output(step.name());
                outputs.set(step.name(), o);
            }
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
