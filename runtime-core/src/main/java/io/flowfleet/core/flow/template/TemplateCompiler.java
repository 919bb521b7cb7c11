package io.flowfleet.core.flow.template;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Compiles JSON values holding {@code {{...}}} templates into {@link Template}s once, at parse time.
 * A template is a path: a root name (trigger or a step), then {@code .field}, {@code ['field']}
 * or {@code [index]} parts; field names may hold dashes ({@code trigger.headers.x-id}).
 */
public final class TemplateCompiler {
    private static final String OPEN = "{{";
    private static final String CLOSE = "}}";

    private TemplateCompiler() {
    }

    /**
     * @param value      the JSON value as written
     * @param where      where it sits, for messages (e.g. {@code step_2.settings.input})
     * @param problems   receives one line per unreadable template
     * @param references receives every reference, for the caller to check the names
     */
    public static Template compile(JsonNode value, String where, List<String> problems, Consumer<Reference> references) {
        if (value == null) {
            return new Template.Constant(com.fasterxml.jackson.databind.node.NullNode.getInstance());
        }
        if (value.isTextual()) {
            return compileText(value, where, problems, references);
        }
        if (value.isObject()) {
            Map<String, Template> fields = new LinkedHashMap<>();
            boolean constant = true;
            for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                Template t = compile(e.getValue(), where + "." + e.getKey(), problems, references);
                constant &= t.isConstant();
                fields.put(e.getKey(), t);
            }
            return constant ? new Template.Constant(value) : new ObjectTemplate(fields);
        }
        if (value.isArray()) {
            List<Template> elements = new ArrayList<>(value.size());
            boolean constant = true;
            for (int i = 0; i < value.size(); i++) {
                Template t = compile(value.get(i), where + "[" + i + "]", problems, references);
                constant &= t.isConstant();
                elements.add(t);
            }
            return constant ? new Template.Constant(value) : new ArrayTemplate(List.copyOf(elements));
        }
        return new Template.Constant(value);
    }

    private static Template compileText(JsonNode value, String where, List<String> problems, Consumer<Reference> references) {
        String text = value.textValue();
        int open = text.indexOf(OPEN);
        if (open < 0) {
            return new Template.Constant(value);
        }
        List<Object> parts = new ArrayList<>();
        int from = 0;
        while (open >= 0) {
            int close = text.indexOf(CLOSE, open + OPEN.length());
            if (close < 0) {
                problems.add(where + ": template \"" + text.substring(open) + "\" has no closing }}");
                return new Template.Constant(value);
            }
            if (open > from) {
                parts.add(text.substring(from, open));
            }
            String expression = text.substring(open + OPEN.length(), close).trim();
            Reference ref = parseReference(expression, where, problems);
            if (ref == null) {
                return new Template.Constant(value);
            }
            references.accept(ref);
            parts.add(ref);
            from = close + CLOSE.length();
            open = text.indexOf(OPEN, from);
        }
        if (from < text.length()) {
            parts.add(text.substring(from));
        }
        // A value that is exactly one template keeps the JSON type of what it points at.
        if (parts.size() == 1 && parts.getFirst() instanceof Reference ref) {
            return ref;
        }
        return new Interpolation(List.copyOf(parts));
    }

    /** Parses {@code root.a['b'][0]}; returns null (and adds a problem) when it cannot. */
    public static Reference parseReference(String expression, String where, List<String> problems) {
        int n = expression.length();
        int i = 0;
        while (i < n && expression.charAt(i) != '.' && expression.charAt(i) != '[') {
            i++;
        }
        String root = expression.substring(0, i);
        if (root.isEmpty() || !isName(root)) {
            problems.add(where + ": template {{" + expression + "}} must start with the trigger or a step name");
            return null;
        }
        List<Object> path = new ArrayList<>();
        while (i < n) {
            char c = expression.charAt(i);
            if (c == '.') {
                int start = ++i;
                while (i < n && expression.charAt(i) != '.' && expression.charAt(i) != '[') {
                    i++;
                }
                String field = expression.substring(start, i);
                if (field.isEmpty() || field.chars().anyMatch(Character::isWhitespace)) {
                    problems.add(where + ": template {{" + expression + "}} has an empty or spaced field name");
                    return null;
                }
                path.add(field);
            } else if (c == '[') {
                int end = expression.indexOf(']', i);
                if (end < 0) {
                    problems.add(where + ": template {{" + expression + "}} has an unclosed [");
                    return null;
                }
                String inside = expression.substring(i + 1, end).trim();
                if (inside.length() >= 2 && (inside.charAt(0) == '\'' || inside.charAt(0) == '"')
                        && inside.charAt(inside.length() - 1) == inside.charAt(0)) {
                    path.add(inside.substring(1, inside.length() - 1));
                } else {
                    try {
                        path.add(Integer.parseInt(inside));
                    } catch (NumberFormatException e) {
                        problems.add(where + ": template {{" + expression + "}}: [" + inside
                                + "] must be a quoted field name or an index (only paths are supported, not expressions)");
                        return null;
                    }
                }
                i = end + 1;
            } else {
                problems.add(where + ": template {{" + expression + "}} is not a path");
                return null;
            }
        }
        return new Reference(root, List.copyOf(path), "{{" + expression + "}}");
    }

    private static boolean isName(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '$')) {
                return false;
            }
        }
        return true;
    }
}
