package io.flowfleet.core.flow.step;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;
import java.util.Set;

/** The operators of branch conditions: {@code left operator right}. */
public final class Condition {
    public static final Set<String> BINARY = Set.of("equals", "not_equals", "contains", "not_contains",
            "starts_with", "ends_with", "greater_than", "less_than", "greater_or_equal", "less_or_equal");
    public static final Set<String> UNARY = Set.of("is_true", "is_false", "exists", "not_exists", "is_empty", "is_not_empty");

    private Condition() {
    }

    public static boolean isOperator(String op) {
        return BINARY.contains(op) || UNARY.contains(op);
    }

    public static boolean test(JsonNode left, String operator, JsonNode right, boolean caseSensitive) throws StepFailedException {
        return switch (operator) {
            case "equals" -> equal(left, right, caseSensitive);
            case "not_equals" -> !equal(left, right, caseSensitive);
            case "contains" -> contains(left, right, caseSensitive);
            case "not_contains" -> !contains(left, right, caseSensitive);
            case "starts_with" -> text(left, caseSensitive).startsWith(text(right, caseSensitive));
            case "ends_with" -> text(left, caseSensitive).endsWith(text(right, caseSensitive));
            case "greater_than" -> number(left) > number(right);
            case "less_than" -> number(left) < number(right);
            case "greater_or_equal" -> number(left) >= number(right);
            case "less_or_equal" -> number(left) <= number(right);
            case "is_true" -> truthy(left);
            case "is_false" -> !truthy(left);
            case "exists" -> left != null && !left.isNull() && !left.isMissingNode();
            case "not_exists" -> left == null || left.isNull() || left.isMissingNode();
            case "is_empty" -> isEmpty(left);
            case "is_not_empty" -> !isEmpty(left);
            default -> throw new StepFailedException("unknown condition operator " + operator, false);
        };
    }

    private static boolean equal(JsonNode a, JsonNode b, boolean caseSensitive) {
        if (a != null && b != null && a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        return text(a, caseSensitive).equals(text(b, caseSensitive));
    }

    private static boolean contains(JsonNode a, JsonNode b, boolean caseSensitive) {
        if (a != null && a.isArray()) {
            for (JsonNode element : a) {
                if (equal(element, b, caseSensitive)) {
                    return true;
                }
            }
            return false;
        }
        return text(a, caseSensitive).contains(text(b, caseSensitive));
    }

    private static boolean truthy(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return false;
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isTextual()) {
            return n.textValue().equalsIgnoreCase("true");
        }
        return n.isNumber() && n.doubleValue() != 0;
    }

    private static boolean isEmpty(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() || (n.isTextual() && n.textValue().isEmpty())
                || (n.isContainerNode() && n.isEmpty());
    }

    private static String text(JsonNode n, boolean caseSensitive) {
        String s = n == null || n.isNull() || n.isMissingNode() ? "" : n.isTextual() ? n.textValue() : n.toString();
        return caseSensitive ? s : s.toLowerCase(Locale.ROOT);
    }

    private static double number(JsonNode n) throws StepFailedException {
        if (n != null && n.isNumber()) {
            return n.doubleValue();
        }
        if (n != null && n.isTextual()) {
            try {
                return Double.parseDouble(n.textValue().trim());
            } catch (NumberFormatException e) {
                // below
            }
        }
        throw new StepFailedException("condition compares a non-number as a number: " + n, false);
    }
}
