package io.flowfleet.core.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowfleet.core.flow.InvalidFlowException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Translates an Activepieces flow export into Flowfleet's format. Accepted shapes: the export file
 * ({@code {"template": {"trigger": ...}}}), a list export ({@code {"flows": [...]}}, first flow) or a
 * flow version ({@code {"trigger": ...}}). What Flowfleet has no equivalent for is refused by name;
 * nothing is dropped silently. See docs/flows.md for the table.
 */
public final class ActivepiecesImporter {
    static final String WEBHOOK_PIECE = "@activepieces/piece-webhook";
    static final String MATH_PIECE = "@activepieces/piece-math-helper";
    private static final Map<String, String> MATH_ACTIONS = Map.of(
            "addition_math", "add",
            "subtraction_math", "subtract",
            "multiplication_math", "multiply",
            "division_math", "divide",
            "modulo_math", "modulo");
    private static final Map<String, String> OPERATORS = Map.ofEntries(
            Map.entry("TEXT_EXACTLY_MATCHES", "equals"),
            Map.entry("TEXT_DOES_NOT_EXACTLY_MATCH", "not_equals"),
            Map.entry("TEXT_CONTAINS", "contains"),
            Map.entry("TEXT_DOES_NOT_CONTAIN", "not_contains"),
            Map.entry("TEXT_STARTS_WITH", "starts_with"),
            Map.entry("TEXT_START_WITH", "starts_with"),
            Map.entry("TEXT_ENDS_WITH", "ends_with"),
            Map.entry("NUMBER_IS_EQUAL_TO", "equals"),
            Map.entry("NUMBER_IS_GREATER_THAN", "greater_than"),
            Map.entry("NUMBER_IS_LESS_THAN", "less_than"),
            Map.entry("BOOLEAN_IS_TRUE", "is_true"),
            Map.entry("BOOLEAN_IS_FALSE", "is_false"),
            Map.entry("EXISTS", "exists"),
            Map.entry("DOES_NOT_EXIST", "not_exists"),
            Map.entry("LIST_CONTAINS", "contains"),
            Map.entry("LIST_DOES_NOT_CONTAIN", "not_contains"),
            Map.entry("LIST_IS_EMPTY", "is_empty"),
            Map.entry("LIST_IS_NOT_EMPTY", "is_not_empty"),
            Map.entry("TEXT_IS_EMPTY", "is_empty"),
            Map.entry("TEXT_IS_NOT_EMPTY", "is_not_empty"));
    /** AP's "retry on failure": a few attempts with growing waits. */
    private static final int AP_RETRY_ATTEMPTS = 4;

    private final List<String> problems = new ArrayList<>();
    private final Set<String> names = new HashSet<>();

    private ActivepiecesImporter() {
    }

    /** True when the JSON has the shape of an Activepieces export rather than Flowfleet's format. */
    public static boolean looksLikeActivepieces(JsonNode json) {
        if (json == null || !json.isObject()) {
            return false;
        }
        if (json.path("template").path("trigger").isObject() || json.path("flows").isArray()
                || json.path("version").path("trigger").isObject()) {
            return true;
        }
        JsonNode trigger = json.path("trigger");
        return trigger.isObject() && !json.has("steps")
                && (trigger.has("nextAction") || trigger.path("settings").has("pieceName")
                || isUpperCase(trigger.path("type").asText("")));
    }

    private static boolean isUpperCase(String s) {
        return !s.isEmpty() && s.equals(s.toUpperCase(java.util.Locale.ROOT)) && Character.isLetter(s.charAt(0));
    }

    /** The flow in Flowfleet's format, or every reason it cannot be imported. */
    public static ObjectNode toFlowfleet(JsonNode export) throws InvalidFlowException {
        return new ActivepiecesImporter().translate(export);
    }

    private ObjectNode translate(JsonNode export) throws InvalidFlowException {
        JsonNode version = export;
        String name = export.path("name").asText(null);
        if (export.path("flows").isArray()) {
            if (export.get("flows").size() != 1) {
                throw new InvalidFlowException("Activepieces export holds " + export.get("flows").size()
                        + " flows; import them one at a time");
            }
            version = export.get("flows").get(0);
            name = version.path("name").asText(name);
        }
        if (version.path("template").isObject()) {
            version = version.get("template");
        } else if (version.path("version").isObject()) {
            version = version.get("version");
        }
        if (name == null) {
            name = version.path("displayName").asText("imported-flow");
        }
        ObjectNode flow = JsonNodeFactory.instance.objectNode();
        flow.put("name", name);
        JsonNode trigger = version.get("trigger");
        ObjectNode ffTrigger = flow.putObject("trigger");
        ffTrigger.put("name", trigger == null ? "trigger" : trigger.path("name").asText("trigger"));
        ffTrigger.put("type", "webhook");
        if (trigger == null || !trigger.isObject()) {
            problems.add("Activepieces flow has no trigger");
        } else {
            checkTrigger(trigger);
            names.add(ffTrigger.get("name").asText());
        }
        flow.set("steps", chain(trigger == null ? null : trigger.get("nextAction")));
        if (!problems.isEmpty()) {
            throw new InvalidFlowException(problems.stream().map(p -> "Activepieces import: " + p).toList());
        }
        return flow;
    }

    private void checkTrigger(JsonNode trigger) {
        String type = trigger.path("type").asText("");
        JsonNode settings = trigger.path("settings");
        if (!"PIECE_TRIGGER".equals(type)) {
            problems.add("trigger type " + type + " is not supported (only the webhook piece's catch_webhook)");
            return;
        }
        String piece = settings.path("pieceName").asText("");
        String triggerName = settings.path("triggerName").asText("");
        if (!WEBHOOK_PIECE.equals(piece) || !"catch_webhook".equals(triggerName)) {
            problems.add("trigger " + piece + "/" + triggerName + " is not supported (only " + WEBHOOK_PIECE + "/catch_webhook)");
        }
        String auth = settings.path("input").path("authType").asText("none");
        if (!"none".equals(auth)) {
            problems.add("trigger: webhook authentication \"" + auth + "\" is not supported");
        }
    }

    /** Follows nextAction links into a Flowfleet chain. */
    private ArrayNode chain(JsonNode action) {
        ArrayNode steps = JsonNodeFactory.instance.arrayNode();
        int guard = 0;
        while (action != null && action.isObject() && guard++ < 10_000) {
            ObjectNode step = step(action);
            if (step != null) {
                steps.add(step);
            }
            action = action.get("nextAction");
        }
        return steps;
    }

    private ObjectNode step(JsonNode action) {
        String name = action.path("name").asText("");
        String type = action.path("type").asText("");
        String where = "step " + (name.isEmpty() ? "(unnamed)" : name);
        if (!names.add(name)) {
            problems.add(where + ": duplicate name");
        }
        if (action.path("skip").asBoolean(false)) {
            problems.add(where + " is marked skip; enable or delete it before importing");
            return null;
        }
        JsonNode settings = action.path("settings");
        ObjectNode step = JsonNodeFactory.instance.objectNode();
        step.put("name", name);
        if (action.path("displayName").isTextual()) {
            step.put("displayName", action.get("displayName").textValue());
        }
        ObjectNode s;
        switch (type) {
            case "CODE" -> {
                step.put("type", "code");
                s = step.putObject("settings");
                JsonNode code = settings.path("sourceCode").path("code");
                if (!code.isTextual()) {
                    problems.add(where + " (CODE): sourceCode.code is missing");
                }
                s.put("code", code.asText(""));
                checkNoPackages(where, settings.path("sourceCode").path("packageJson"));
                s.set("input", settings.path("input").isObject() ? settings.get("input") : JsonNodeFactory.instance.objectNode());
            }
            case "PIECE" -> {
                if (!piece(where, settings, step)) {
                    return null;
                }
            }
            case "ROUTER" -> router(where, action, settings, step);
            case "LOOP_ON_ITEMS" -> {
                step.put("type", "loop");
                s = step.putObject("settings");
                s.set("items", settings.get("items"));
                s.set("steps", chain(action.get("firstLoopAction")));
            }
            default -> {
                problems.add(where + ": step type " + type + " is not supported"
                        + " (supported: CODE, PIECE, ROUTER, LOOP_ON_ITEMS)");
                return null;
            }
        }
        errorOptions(settings.path("errorHandlingOptions"), step);
        return step;
    }

    private void checkNoPackages(String where, JsonNode packageJson) {
        if (!packageJson.isTextual() || packageJson.textValue().isBlank()) {
            return;
        }
        try {
            JsonNode deps = io.flowfleet.core.flow.Json.MAPPER
                    .readTree(packageJson.textValue()).path("dependencies");
            if (deps.isObject() && !deps.isEmpty()) {
                List<String> list = new ArrayList<>();
                deps.fieldNames().forEachRemaining(list::add);
                problems.add(where + " (CODE): npm dependencies are not supported: " + String.join(", ", list));
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            problems.add(where + " (CODE): sourceCode.packageJson is not JSON");
        }
    }

    private boolean piece(String where, JsonNode settings, ObjectNode step) {
        String piece = settings.path("pieceName").asText("");
        String actionName = settings.path("actionName").asText("");
        JsonNode input = settings.path("input");
        if (WEBHOOK_PIECE.equals(piece) && "return_response".equals(actionName)) {
            step.put("type", "return_response");
            returnResponse(where, input, step.putObject("settings"));
            return true;
        }
        if (MATH_PIECE.equals(piece) && MATH_ACTIONS.containsKey(actionName)) {
            step.put("type", "math");
            ObjectNode s = step.putObject("settings");
            s.put("operation", MATH_ACTIONS.get(actionName));
            s.set("a", input.get("first_number"));
            s.set("b", input.get("second_number"));
            return true;
        }
        problems.add(where + ": piece " + piece + " action " + actionName + " is not supported"
                + " (supported: " + WEBHOOK_PIECE + " return_response; " + MATH_PIECE + " "
                + String.join(", ", new java.util.TreeSet<>(MATH_ACTIONS.keySet())) + ")");
        return false;
    }

    /** The return_response input of the piece's successive versions, to Flowfleet settings. */
    private void returnResponse(String where, JsonNode input, ObjectNode s) {
        String responseType = input.path("responseType").asText(input.path("bodyType").asText("json"));
        if ("redirect".equals(responseType)) {
            problems.add(where + ": return_response of type redirect is not supported (json and raw are)");
            return;
        }
        if (!"json".equals(responseType) && !"raw".equals(responseType)) {
            problems.add(where + ": return_response type " + responseType + " is not supported (json and raw are)");
            return;
        }
        // Shapes across piece versions: {fields: {status, headers, body}}, {body: {status, headers, data}},
        // {mode, response: {response}} and the oldest {response} (status 200).
        JsonNode fields = input.path("fields").isObject() ? input.get("fields")
                : input.path("body").isObject() && input.get("body").has("data") ? input.get("body")
                : input.has("mode") && input.path("response").has("response") ? input.get("response") : input;
        if (fields.has("status") && !fields.get("status").isNull()) {
            s.set("status", fields.get("status"));
        }
        if (fields.path("headers").isObject()) {
            s.set("headers", fields.get("headers"));
        }
        JsonNode body = fields.has("data") ? fields.get("data") : fields.has("body") ? fields.get("body") : fields.get("response");
        if ("json".equals(responseType) && body != null && body.isTextual() && !body.textValue().contains("{{")) {
            try {
                body = io.flowfleet.core.flow.Json.MAPPER.readTree(body.textValue());
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                problems.add(where + ": return_response JSON body is not JSON");
            }
        }
        s.set("body", body);
        s.put("bodyType", responseType);
        String respond = input.path("respond").asText("stop");
        s.put("mode", "respond".equals(respond) ? "respond_and_continue" : "respond_and_stop");
    }

    private void router(String where, JsonNode action, JsonNode settings, ObjectNode step) {
        step.put("type", "branch");
        ObjectNode s = step.putObject("settings");
        String execution = settings.path("executionType").asText("EXECUTE_FIRST_MATCH");
        if (!"EXECUTE_FIRST_MATCH".equals(execution)) {
            problems.add(where + " (ROUTER): executionType " + execution + " is not supported (EXECUTE_FIRST_MATCH is)");
        }
        ArrayNode branches = s.putArray("branches");
        JsonNode children = action.path("children");
        JsonNode apBranches = settings.path("branches");
        boolean fallbackSeen = false;
        for (int i = 0; i < apBranches.size(); i++) {
            JsonNode b = apBranches.get(i);
            JsonNode child = children.isArray() && i < children.size() ? children.get(i) : null;
            String branchType = b.path("branchType").asText("");
            if ("FALLBACK".equals(branchType)) {
                fallbackSeen = true;
                s.set("otherwise", chain(child));
            } else if ("CONDITION".equals(branchType)) {
                ObjectNode fb = branches.addObject();
                fb.put("name", b.path("branchName").asText("branch_" + (i + 1)));
                fb.set("conditions", conditions(where, b.path("conditions")));
                fb.set("steps", chain(child));
            } else {
                problems.add(where + " (ROUTER): branch type " + branchType + " is not supported (CONDITION, FALLBACK are)");
            }
        }
        if (branches.isEmpty()) {
            problems.add(where + " (ROUTER): no CONDITION branch");
        }
        if (!fallbackSeen) {
            s.putArray("otherwise");
        }
    }

    private ArrayNode conditions(String where, JsonNode groups) {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (JsonNode group : groups) {
            ArrayNode g = out.addArray();
            for (JsonNode c : group) {
                String op = c.path("operator").asText("");
                String mapped = OPERATORS.get(op);
                if (mapped == null) {
                    problems.add(where + " (ROUTER): condition operator " + op + " is not supported");
                    continue;
                }
                ObjectNode fc = g.addObject();
                fc.set("left", c.get("firstValue"));
                fc.put("operator", mapped);
                if (c.has("secondValue")) {
                    fc.set("right", c.get("secondValue"));
                } else if (!mapped.startsWith("is_") && !mapped.endsWith("exists")) {
                    fc.putNull("right");
                }
                if (c.has("caseSensitive")) {
                    fc.put("caseSensitive", c.get("caseSensitive").asBoolean(true));
                }
            }
        }
        return out;
    }

    private static void errorOptions(JsonNode options, ObjectNode step) {
        if (options.path("continueOnFailure").path("value").asBoolean(false)) {
            step.put("continueOnFailure", true);
        }
        if (options.path("retryOnFailure").path("value").asBoolean(false)) {
            ObjectNode retry = step.putObject("retry");
            retry.put("maxAttempts", AP_RETRY_ATTEMPTS);
            retry.put("backoffMillis", 1000);
            retry.put("maxBackoffMillis", 8000);
        }
    }
}
