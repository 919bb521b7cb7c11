package io.flowfleet.core.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowfleet.core.flow.step.BranchStep;
import io.flowfleet.core.flow.step.CodeStep;
import io.flowfleet.core.flow.step.DelayStep;
import io.flowfleet.core.flow.step.ErrorOptions;
import io.flowfleet.core.flow.step.HttpRequestStep;
import io.flowfleet.core.flow.step.LoopStep;
import io.flowfleet.core.flow.step.MathStep;
import io.flowfleet.core.flow.step.ReturnResponseStep;
import io.flowfleet.core.flow.step.Step;
import io.flowfleet.core.flow.step.StepSettings;
import io.flowfleet.core.flow.template.Reference;
import io.flowfleet.core.flow.template.Template;
import io.flowfleet.core.flow.template.TemplateCompiler;
import io.flowfleet.core.importer.ActivepiecesImporter;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Flowfleet JSON (or an Activepieces export, translated first) to a validated {@link FlowDefinition}.
 * Collects every problem before failing. Step names are unique in the whole flow; a template may
 * point at the trigger or at a step that comes earlier (in reading order, nested chains included).
 */
final class FlowParser {
    static final String WEBHOOK = "webhook";
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]{0,127}");
    private static final Set<String> FLOW_KEYS = Set.of("name", "description", "trigger", "steps");
    private static final Set<String> TRIGGER_KEYS = Set.of("name", "type", "displayName", "settings");
    private static final Set<String> STEP_KEYS = Set.of("name", "type", "displayName", "settings", "retry", "continueOnFailure");
    private static final Set<String> RETRY_KEYS = Set.of("maxAttempts", "backoffMillis", "maxBackoffMillis");
    static final Set<String> STEP_TYPES = new TreeSet<>(Set.of(MathStep.TYPE, CodeStep.TYPE, HttpRequestStep.TYPE,
            BranchStep.TYPE, LoopStep.TYPE, DelayStep.TYPE, ReturnResponseStep.TYPE));

    private final List<String> problems = new ArrayList<>();
    /** Names defined so far, in reading order. */
    private final Set<String> defined = new HashSet<>();
    /** Every name seen, to tell "later" from "unknown". */
    private final Set<String> allNames = new HashSet<>();

    private FlowParser() {
    }

    static FlowDefinition parse(JsonNode json) throws InvalidFlowException {
        if (json == null || !json.isObject()) {
            throw new InvalidFlowException("a flow must be a JSON object");
        }
        ObjectNode canonical;
        if (ActivepiecesImporter.looksLikeActivepieces(json)) {
            canonical = ActivepiecesImporter.toFlowfleet(json);
        } else {
            canonical = ((ObjectNode) json).deepCopy();
        }
        return new FlowParser().parseFlowfleet(canonical);
    }

    private FlowDefinition parseFlowfleet(ObjectNode flow) throws InvalidFlowException {
        collectNames(flow.get("steps"));
        for (Iterator<String> it = flow.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!FLOW_KEYS.contains(key)) {
                problems.add("unknown key \"" + key + "\" at the top of the flow (allowed: description, name, steps, trigger)");
            }
        }
        JsonNode nameNode = flow.get("name");
        if (nameNode != null && !nameNode.isTextual()) {
            problems.add("name must be a string");
        }
        String name = nameNode != null && nameNode.isTextual() ? nameNode.textValue() : "flow";
        String triggerName = parseTrigger(flow.get("trigger"));
        JsonNode stepsNode = flow.get("steps");
        List<Step> steps = List.of();
        if (stepsNode == null || !stepsNode.isArray()) {
            problems.add("steps is required: an array of steps after the trigger");
        } else {
            steps = chain(stepsNode, "steps");
        }
        if (!problems.isEmpty()) {
            throw new InvalidFlowException(problems);
        }
        return new FlowDefinition(name, triggerName, steps, flow, null);
    }

    private String parseTrigger(JsonNode trigger) {
        if (trigger == null || !trigger.isObject()) {
            problems.add("trigger is required: {\"name\": \"trigger\", \"type\": \"webhook\"}");
            defined.add("trigger");
            return "trigger";
        }
        for (Iterator<String> it = trigger.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!TRIGGER_KEYS.contains(key)) {
                problems.add("trigger: unknown key \"" + key + "\"");
            }
        }
        String type = trigger.path("type").asText("");
        if (!WEBHOOK.equals(type)) {
            problems.add("trigger: unknown trigger type \"" + type + "\" (supported: webhook)");
        }
        String name = trigger.path("name").asText("trigger");
        if (!NAME.matcher(name).matches()) {
            problems.add("trigger: name \"" + name + "\" must be letters, digits, _ or - (starting with a letter or _)");
        }
        if (allNames.contains(name)) {
            problems.add("trigger: name \"" + name + "\" is also a step's name");
        }
        defined.add(name);
        return name;
    }

    /** First pass: every step name anywhere, to tell a later step from a missing one. */
    private void collectNames(JsonNode steps) {
        if (steps == null || !steps.isArray()) {
            return;
        }
        for (JsonNode step : steps) {
            if (step.path("name").isTextual()) {
                allNames.add(step.get("name").textValue());
            }
            JsonNode settings = step.path("settings");
            collectNames(settings.get("steps"));
            collectNames(settings.get(BranchStep.OTHERWISE));
            for (JsonNode b : settings.path("branches")) {
                collectNames(b.get("steps"));
            }
        }
    }

    private List<Step> chain(JsonNode steps, String location) {
        if (!steps.isArray()) {
            problems.add(location + " must be an array of steps");
            return List.of();
        }
        List<Step> chain = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            Step step = step(steps.get(i), location + "[" + i + "]");
            if (step != null) {
                chain.add(step);
            }
        }
        return chain;
    }

    private Step step(JsonNode node, String location) {
        if (!node.isObject()) {
            problems.add(location + " must be an object {name, type, settings}");
            return null;
        }
        String name = node.path("name").isTextual() ? node.get("name").textValue() : null;
        String type = node.path("type").isTextual() ? node.get("type").textValue() : null;
        String where = location + " (" + (name == null ? "unnamed" : name) + (type == null ? "" : ", " + type) + ")";
        boolean ok = true;
        if (name == null) {
            problems.add(where + ": name is required");
            ok = false;
        } else if (!NAME.matcher(name).matches()) {
            problems.add(where + ": name \"" + name + "\" must be letters, digits, _ or - (starting with a letter or _)");
        } else if (defined.contains(name)) {
            problems.add(where + ": duplicate name \"" + name + "\"");
        }
        if (type == null) {
            problems.add(where + ": type is required (one of " + String.join(", ", STEP_TYPES) + ")");
            ok = false;
        } else if (!STEP_TYPES.contains(type)) {
            problems.add(where + ": unknown step type \"" + type + "\" (one of " + String.join(", ", STEP_TYPES) + ")");
            ok = false;
        }
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!STEP_KEYS.contains(key)) {
                problems.add(where + ": unknown key \"" + key + "\" (allowed: " + String.join(", ", new TreeSet<>(STEP_KEYS)) + ")");
            }
        }
        JsonNode settingsNode = node.get("settings");
        if (settingsNode != null && !settingsNode.isObject()) {
            problems.add(where + ": settings must be an object");
            ok = false;
        }
        ErrorOptions errors = errorOptions(node, where);
        if (!ok) {
            if (name != null) {
                defined.add(name);
            }
            return null;
        }
        ObjectNode settings = settingsNode == null ? StepSettings.object() : (ObjectNode) settingsNode;
        Settings s = new Settings(where, settings, name);
        Step step = switch (type) {
            case MathStep.TYPE -> MathStep.parse(name, s, errors);
            case CodeStep.TYPE -> CodeStep.parse(name, s, errors);
            case HttpRequestStep.TYPE -> HttpRequestStep.parse(name, s, errors);
            case BranchStep.TYPE -> BranchStep.parse(name, s, errors);
            case LoopStep.TYPE -> LoopStep.parse(name, s, errors);
            case DelayStep.TYPE -> DelayStep.parse(name, s, errors);
            case ReturnResponseStep.TYPE -> ReturnResponseStep.parse(name, s, errors);
            default -> throw new IllegalStateException(type);
        };
        defined.add(name); // for steps without nested chains (those add it before their chains)
        return step;
    }

    private ErrorOptions errorOptions(JsonNode node, String where) {
        JsonNode retry = node.get("retry");
        JsonNode cont = node.get("continueOnFailure");
        boolean continueOnFailure = false;
        if (cont != null) {
            if (!cont.isBoolean()) {
                problems.add(where + ": continueOnFailure must be true or false");
            } else {
                continueOnFailure = cont.booleanValue();
            }
        }
        if (retry == null || retry.isNull()) {
            return continueOnFailure ? new ErrorOptions(1, Duration.ZERO, Duration.ZERO, true) : ErrorOptions.NONE;
        }
        if (!retry.isObject()) {
            problems.add(where + ": retry must be an object {maxAttempts, backoffMillis, maxBackoffMillis}");
            return ErrorOptions.NONE;
        }
        for (Iterator<String> it = retry.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            if (!RETRY_KEYS.contains(key)) {
                problems.add(where + ": unknown key \"retry." + key + "\" (allowed: backoffMillis, maxAttempts, maxBackoffMillis)");
            }
        }
        int maxAttempts = retry.path("maxAttempts").asInt(3);
        if (!retry.path("maxAttempts").isMissingNode() && !retry.get("maxAttempts").isIntegralNumber()
                || maxAttempts < 1 || maxAttempts > ErrorOptions.MAX_ATTEMPTS) {
            problems.add(where + ": retry.maxAttempts must be a whole number from 1 to " + ErrorOptions.MAX_ATTEMPTS);
            maxAttempts = 1;
        }
        long backoff = retry.path("backoffMillis").asLong(1000);
        long maxBackoff = retry.path("maxBackoffMillis").asLong(30_000);
        if (backoff < 0 || backoff > ErrorOptions.MAX_BACKOFF.toMillis()) {
            problems.add(where + ": retry.backoffMillis must be from 0 to " + ErrorOptions.MAX_BACKOFF.toMillis());
            backoff = 0;
        }
        if (maxBackoff < backoff || maxBackoff > ErrorOptions.MAX_BACKOFF.toMillis()) {
            problems.add(where + ": retry.maxBackoffMillis must be from backoffMillis to " + ErrorOptions.MAX_BACKOFF.toMillis());
            maxBackoff = backoff;
        }
        return new ErrorOptions(maxAttempts, Duration.ofMillis(backoff), Duration.ofMillis(maxBackoff), continueOnFailure);
    }

    /** Settings of one step, tied to this parser's problems and names. */
    private final class Settings extends StepSettings {
        private final String stepName;

        Settings(String where, ObjectNode settings, String stepName) {
            super(where, settings, problems);
            this.stepName = stepName;
        }

        @Override
        public List<Step> chain(JsonNode steps, String location) {
            defined.add(stepName); // nested steps may read their branch or loop
            return FlowParser.this.chain(steps, location);
        }

        @Override
        public Template input(JsonNode input) {
            List<Reference> refs = new ArrayList<>();
            Template t = TemplateCompiler.compile(input, where() + ".settings", problems, refs::add);
            for (Reference ref : refs) {
                if (ref.root().equals(stepName)) {
                    problem("template " + ref.source() + " refers to this step itself");
                } else if (!defined.contains(ref.root())) {
                    problem("template " + ref.source() + " refers to \"" + ref.root() + "\", "
                            + (allNames.contains(ref.root()) ? "which does not come before this step"
                            : "which is neither the trigger nor a step"));
                }
            }
            return t;
        }
    }

}
