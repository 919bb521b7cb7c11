package io.flowfleet.core.flow.step;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowfleet.core.flow.FlowResponse;
import io.flowfleet.core.flow.template.Template;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code return_response}: the sync caller's answer: {@code status} (200), {@code headers}
 * ({}), {@code body} (null), {@code bodyType} {@code json} or {@code raw}, and {@code mode}
 * {@code respond_and_stop} (default: the run ends here) or {@code respond_and_continue} (the caller
 * gets the answer now, the run goes on). Output: {@code {status, headers, body}}.
 */
public final class ReturnResponseStep extends Step {
    public static final String TYPE = "return_response";
    public static final String STOP = "respond_and_stop";
    public static final String CONTINUE = "respond_and_continue";

    private final boolean raw;
    private final boolean stop;

    private ReturnResponseStep(String name, Template input, ErrorOptions errors, boolean raw, boolean stop) {
        super(name, input, errors);
        this.raw = raw;
        this.stop = stop;
    }

    public static ReturnResponseStep parse(String name, StepSettings s, ErrorOptions errors) {
        s.allowOnly(Set.of("status", "headers", "body", "bodyType", "mode"));
        ObjectNode input = StepSettings.object();
        JsonNode status = s.get("status");
        if (status != null && status.isNumber() && (status.asInt() < 100 || status.asInt() > 599)) {
            s.problem("settings.status must be an HTTP status (100-599)");
        } else if (status != null && !status.isNumber() && !status.isTextual()) {
            s.problem("settings.status must be a number");
        }
        input.set("status", status == null ? com.fasterxml.jackson.databind.node.IntNode.valueOf(200) : status);
        JsonNode headers = s.get("headers");
        if (headers != null && !headers.isObject()) {
            s.problem("settings.headers must be an object of header names to values");
        }
        input.set("headers", headers == null ? StepSettings.object() : headers);
        input.set("body", s.get("body"));
        String bodyType = s.text("bodyType", "json", Set.of("json", "raw"));
        String mode = s.text("mode", STOP, Set.of(STOP, CONTINUE));
        return new ReturnResponseStep(name, s.input(input), errors, "raw".equals(bodyType), STOP.equals(mode));
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public JsonNode execute(JsonNode input, StepContext context) throws StepFailedException {
        JsonNode statusNode = input.get("status");
        int status;
        if (statusNode != null && statusNode.canConvertToInt() && statusNode.isNumber()) {
            status = statusNode.intValue();
        } else if (statusNode != null && statusNode.isTextual()) {
            try {
                status = Integer.parseInt(statusNode.textValue().trim());
            } catch (NumberFormatException e) {
                throw new StepFailedException("status is not a number: " + statusNode, false);
            }
        } else {
            throw new StepFailedException("status is not a number: " + statusNode, false);
        }
        if (status < 100 || status > 599) {
            throw new StepFailedException("status " + status + " is not an HTTP status", false);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        JsonNode h = input.get("headers");
        if (h != null && h.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = h.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                headers.put(e.getKey(), e.getValue().isTextual() ? e.getValue().textValue() : e.getValue().toString());
            }
        }
        JsonNode body = input.get("body");
        if (body == null) {
            body = com.fasterxml.jackson.databind.node.NullNode.getInstance();
        }
        FlowResponse response = new FlowResponse(status, headers, body, raw);
        context.respond(response, stop);
        return response.toJson();
    }
}
