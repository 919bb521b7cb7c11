package io.flowfleet.core.flow.step;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import io.flowfleet.core.flow.Json;
import io.flowfleet.core.flow.template.Template;
import io.flowfleet.core.sandbox.CodeException;
import io.flowfleet.core.sandbox.CodeSyntax;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code code}: JavaScript {@code export const code = async (inputs) => { ... }} run in the
 * sandbox as an ES module; {@code inputs} is the resolved {@code input} setting. Output: what it
 * returns (as JSON). The code's syntax is checked when the flow is parsed.
 */
public final class CodeStep extends Step {
    public static final String TYPE = "code";
    private static final Pattern EXPORT = Pattern.compile("\\bexport\\b");

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
        } else if (code != null) {
            CodeSyntax.check(code).ifPresentOrElse(syntax -> s.problem("settings.code has a " + syntax), () -> {
                if (!EXPORT.matcher(code).find()) {
                    s.problem("settings.code must export a function named code: export const code = async (inputs) => { ... }");
                }
            });
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
    public JsonNode execute(JsonNode input, StepContext context) throws StepFailedException, MemoryLimitExceeded {
        String result;
        try {
            result = context.callCode(name(), code, Json.MAPPER.writeValueAsString(input));
        } catch (JsonProcessingException e) {
            throw new StepFailedException("inputs are not JSON: " + e.getOriginalMessage(), false);
        } catch (CodeException e) {
            if (e.kind() == CodeException.Kind.MEMORY_LIMIT) {
                throw new MemoryLimitExceeded(e.getMessage());
            }
            throw new StepFailedException(e.getMessage(), true);
        }
        try {
            // A result over the run log limit is refused by the engine's log accounting (LOG_SIZE_EXCEEDED).
            return Json.MAPPER.readTree(result);
        } catch (StreamConstraintsException e) {
            throw new StepFailedException("the code's result is over a JSON limit: " + e.getOriginalMessage(), false);
        } catch (JsonProcessingException e) {
            throw new StepFailedException("the code's result is not JSON: " + e.getOriginalMessage(), false);
        }
    }
}
