package io.flowfleet.core.flow.step;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.flowfleet.core.flow.Json;
import io.flowfleet.core.flow.template.Template;
import io.flowfleet.core.sandbox.CodeException;
import org.graalvm.polyglot.Source;

import java.time.Duration;
import java.util.Set;

/**
 * {@code code}: JavaScript {@code export const code = async (inputs) => { ... }} run in the
 * sandbox; {@code inputs} is the resolved {@code input} setting. Output: what it returns (as JSON).
 */
public final class CodeStep extends Step {
    public static final String TYPE = "code";

    private final String code;

    private CodeStep(String name, Template input, ErrorOptions errorOptions, String code) {
        super(name, input, errorOptions);
        this.code = code;
    }

    public static CodeStep parse(String name, StepSettings s, ErrorOptions errors) {
        s.allowOnly(Set.of("code", "input"));
        String code = s.text("code", null, null);
        if (code != null && code.isBlank()) {
            s.problem("settings.code is empty");
        } else if (code != null && !code.contains("code")) {
            s.problem("settings.code must define a function named code: export const code = async (inputs) => { ... }");
        }
        JsonNode input = s.get("input");
        if (input != null && !input.isObject() && !(input.isTextual() && input.textValue().contains("{{"))) {
            s.problem("settings.input must be an object (the code's inputs)");
        }
        return new CodeStep(name, s.input(input == null ? StepSettings.object() : input), errors, code);
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    public boolean pure() {
        return true;
    }

    public String code() {
        return code;
    }

    @Override
    public JsonNode execute(JsonNode input, StepContext context) throws StepFailedException {
        Source source = context.sandboxCompile(name(), code);
        String result;
        try {
            result = context.sandbox().call(source, Json.MAPPER.writeValueAsString(input),
                    Duration.ofMillis(Math.max(1, context.remainingMillis())));
        } catch (JsonProcessingException e) {
            throw new StepFailedException("inputs are not JSON: " + e.getOriginalMessage(), false);
        } catch (CodeException e) {
            throw new StepFailedException(e.getMessage(), true);
        }
        try {
            return Json.MAPPER.readTree(result);
        } catch (JsonProcessingException e) {
            throw new StepFailedException("the code's result is not JSON: " + e.getOriginalMessage(), false);
        }
    }
}
