package io.flowfleet.core.flow.step;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowfleet.core.flow.template.Template;

import java.util.Set;

/** {@code delay}: waits {@code millis} (templates allowed), bounded by the flow run limit. Output: {@code {"delayedMillis"}}. */
public final class DelayStep extends Step {
    public static final String TYPE = "delay";

    private DelayStep(String name, Template input, ErrorOptions errors) {
        super(name, input, errors);
    }

    public static DelayStep parse(String name, StepSettings s, ErrorOptions errors) {
        s.allowOnly(Set.of("millis"));
        JsonNode millis = s.required("millis");
        if (millis != null && millis.isNumber() && millis.asLong() < 0) {
            s.problem("settings.millis must not be negative");
        }
        ObjectNode input = StepSettings.object();
        input.set("millis", millis);
        return new DelayStep(name, s.input(input), errors);
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
    public JsonNode execute(JsonNode input, StepContext context) throws Exception {
        JsonNode m = input.get("millis");
        long millis;
        if (m != null && m.isNumber()) {
            millis = m.asLong();
        } else if (m != null && m.isTextual()) {
            try {
                millis = Long.parseLong(m.textValue().trim());
            } catch (NumberFormatException e) {
                throw new StepFailedException("millis is not a number: " + m, false);
            }
        } else {
            throw new StepFailedException("millis is not a number: " + m, false);
        }
        if (millis < 0) {
            throw new StepFailedException("millis must not be negative: " + millis, false);
        }
        context.sleep(millis);
        ObjectNode out = StepSettings.object();
        if (millis == (int) millis) {
            out.put("delayedMillis", (int) millis);
        } else {
            out.put("delayedMillis", millis);
        }
        return out;
    }
}
