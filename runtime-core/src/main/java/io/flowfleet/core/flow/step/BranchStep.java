package io.flowfleet.core.flow.step;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowfleet.core.flow.template.Template;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code branch}: {@code branches} is a list of {@code {name, conditions, steps}}; the first branch
 * whose conditions hold runs its steps, else the {@code otherwise} steps (optional). Conditions
 * are a list of groups: any group holds when all its conditions hold ({@code [[a, b], [c]]} = (a
 * and b) or c); a flat list is one group. A condition: {@code {left, operator, right, caseSensitive}}.
 * Output: {@code {"branch": name or "otherwise", "index": i or -1}}.
 */
public final class BranchStep extends Step {
    public static final String TYPE = "branch";
    public static final String OTHERWISE = "otherwise";

    private final List<List<Step>> chains;
    private final List<Step> otherwise;

    private BranchStep(String name, Template input, ErrorOptions errors, List<List<Step>> chains, List<Step> otherwise) {
        super(name, input, errors);
        this.chains = List.copyOf(chains);
        this.otherwise = List.copyOf(otherwise);
    }

    public static BranchStep parse(String name, StepSettings s, ErrorOptions errors) {
        s.allowOnly(Set.of("branches", OTHERWISE));
        JsonNode branches = s.required("branches");
        ObjectNode input = StepSettings.object();
        ArrayNode resolved = input.putArray("branches");
        List<JsonNode> stepsOfBranches = new ArrayList<>();
        if (branches != null && !branches.isArray()) {
            s.problem("settings.branches must be an array of {name, conditions, steps}");
        } else if (branches != null) {
            if (branches.isEmpty()) {
                s.problem("settings.branches is empty");
            }
            for (int i = 0; i < branches.size(); i++) {
                JsonNode b = branches.get(i);
                String at = "settings.branches[" + i + "]";
                if (!b.isObject()) {
                    s.problem(at + " must be an object {name, conditions, steps}");
                    continue;
                }
                for (var it = b.fieldNames(); it.hasNext(); ) {
                    String k = it.next();
                    if (!Set.of("name", "conditions", "steps").contains(k)) {
                        s.problem(at + ": unknown key \"" + k + "\" (allowed: conditions, name, steps)");
                    }
                }
                ObjectNode r = resolved.addObject();
                r.put("name", b.path("name").isTextual() ? b.get("name").textValue() : "branch_" + (i + 1));
                r.set("conditions", conditions(b.get("conditions"), at, s));
                stepsOfBranches.add(b.get("steps"));
            }
        }
        Template compiled = s.input(input);
        List<List<Step>> chains = new ArrayList<>();
        for (int i = 0; i < stepsOfBranches.size(); i++) {
            JsonNode steps = stepsOfBranches.get(i);
            chains.add(steps == null || steps.isNull() ? List.of() : s.chain(steps, s.where() + ".settings.branches[" + i + "].steps"));
        }
        List<Step> otherwise = s.chain(OTHERWISE, false);
        return new BranchStep(name, compiled, errors, chains, otherwise);
    }

    private static ArrayNode conditions(JsonNode conditions, String at, StepSettings s) {
        ArrayNode groups = StepSettings.object().arrayNode();
        if (conditions == null || !conditions.isArray() || conditions.isEmpty()) {
            s.problem(at + ".conditions must be a non-empty array of conditions (or of groups of conditions)");
            return groups;
        }
        boolean flat = conditions.get(0).isObject();
        List<JsonNode> groupList = new ArrayList<>();
        if (flat) {
            groupList.add(conditions);
        } else {
            conditions.forEach(groupList::add);
        }
        for (int g = 0; g < groupList.size(); g++) {
            JsonNode group = groupList.get(g);
            ArrayNode out = groups.addArray();
            if (!group.isArray() || group.isEmpty()) {
                s.problem(at + ".conditions[" + g + "] must be a non-empty array of conditions");
                continue;
            }
            for (int c = 0; c < group.size(); c++) {
                JsonNode cond = group.get(c);
                String where = at + ".conditions" + (flat ? "" : "[" + g + "]") + "[" + c + "]";
                if (!cond.isObject()) {
                    s.problem(where + " must be an object {left, operator, right}");
                    continue;
                }
                String op = cond.path("operator").asText("");
                if (!Condition.isOperator(op)) {
                    s.problem(where + ".operator \"" + op + "\" is not one of "
                            + String.join(", ", new java.util.TreeSet<>(union())));
                }
                if (!cond.has("left")) {
                    s.problem(where + ".left is required");
                }
                if (Condition.BINARY.contains(op) && !cond.has("right")) {
                    s.problem(where + ".right is required for " + op);
                }
                ObjectNode o = out.addObject();
                o.set("left", cond.get("left"));
                o.put("operator", op);
                o.set("right", cond.get("right"));
                o.put("caseSensitive", !cond.has("caseSensitive") || cond.get("caseSensitive").asBoolean());
            }
        }
        return groups;
    }

    private static Set<String> union() {
        Set<String> all = new java.util.HashSet<>(Condition.BINARY);
        all.addAll(Condition.UNARY);
        return all;
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
        List<List<Step>> all = new ArrayList<>(chains);
        all.add(otherwise);
        return all;
    }

    @Override
    public JsonNode execute(JsonNode input, StepContext context) throws Exception {
        JsonNode branches = input.get("branches");
        int chosen = -1;
        for (int i = 0; i < branches.size() && chosen < 0; i++) {
            if (holds(branches.get(i).get("conditions"))) {
                chosen = i;
            }
        }
        ObjectNode out = StepSettings.object();
        out.put("branch", chosen >= 0 ? branches.get(chosen).path("name").asText() : OTHERWISE);
        out.put("index", chosen);
        // Later steps of the chosen chain may read which branch was taken.
        context.setOutput(name(), out);
        context.runChain(chosen >= 0 ? chains.get(chosen) : otherwise);
        return out;
    }

    private static boolean holds(JsonNode groups) throws StepFailedException {
        for (JsonNode group : groups) {
            boolean all = true;
            for (JsonNode c : group) {
                if (!Condition.test(c.get("left"), c.path("operator").asText(), c.get("right"),
                        c.path("caseSensitive").asBoolean(true))) {
                    all = false;
                    break;
                }
            }
            if (all) {
                return true;
            }
        }
        return false;
    }
}
