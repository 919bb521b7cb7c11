package io.flowfleet.core.flow.step;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowfleet.core.flow.template.Template;

import java.util.Set;

/**
 * {@code math}: {@code operation} (add, subtract, multiply, divide, modulo) of {@code a} and
 * {@code b} (numbers or numeric strings; templates allowed). Output: the number.
 */
public final class MathStep extends Step {
    public static final String TYPE = "math";
    static final Set<String> OPERATIONS = Set.of("add", "subtract", "multiply", "divide", "modulo");

    private MathStep(String name, Template input, ErrorOptions errorOptions) {
        super(name, input, errorOptions);
    }

    public static MathStep parse(String name, StepSettings s, ErrorOptions errors) {
        s.allowOnly(Set.of("operation", "a", "b"));
        ObjectNode input = StepSettings.object();
        String op = s.text("operation", null, OPERATIONS);
        input.put("operation", op);
        input.set("a", s.required("a"));
        input.set("b", s.required("b"));
        return new MathStep(name, s.input(input), errors);
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
    public JsonNode execute(JsonNode input, StepContext context) throws StepFailedException {
        String op = input.path("operation").asText();
        JsonNode a = input.get("a");
        JsonNode b = input.get("b");
        if (isWhole(a) && isWhole(b)) {
            long x = a.asLong();
            long y = b.asLong();
            try {
                return switch (op) {
                    case "add" -> number(Math.addExact(x, y));
                    case "subtract" -> number(Math.subtractExact(x, y));
                    case "multiply" -> number(Math.multiplyExact(x, y));
                    case "divide" -> {
                        requireNonZero(y);
                        yield x % y == 0 ? number(x / y) : DoubleNode.valueOf((double) x / y);
                    }
                    case "modulo" -> {
                        requireNonZero(y);
                        yield number(x % y);
                    }
                    default -> throw new StepFailedException("unknown operation " + op, false);
                };
            } catch (ArithmeticException overflow) {
                // fall through to floating point
            }
        }
        double x = toDouble("a", a);
        double y = toDouble("b", b);
        double r = switch (op) {
            case "add" -> x + y;
            case "subtract" -> x - y;
            case "multiply" -> x * y;
            case "divide" -> {
                requireNonZero(y);
                yield x / y;
            }
            case "modulo" -> {
                requireNonZero(y);
                yield x % y;
            }
            default -> throw new StepFailedException("unknown operation " + op, false);
        };
        if (r == Math.rint(r) && Math.abs(r) < 9.0E15) {
            return number((long) r);
        }
        return DoubleNode.valueOf(r);
    }

    private static JsonNode number(long v) {
        return v == (int) v ? com.fasterxml.jackson.databind.node.IntNode.valueOf((int) v) : LongNode.valueOf(v);
    }

    private static boolean isWhole(JsonNode n) {
        return n != null && n.isIntegralNumber() && n.canConvertToLong();
    }

    private static void requireNonZero(double y) throws StepFailedException {
        if (y == 0) {
            throw new StepFailedException("division by zero", false);
        }
    }

    private static double toDouble(String which, JsonNode n) throws StepFailedException {
        if (n != null && n.isNumber()) {
            return n.doubleValue();
        }
        if (n != null && n.isTextual()) {
            try {
                return Double.parseDouble(n.textValue().trim());
            } catch (NumberFormatException e) {
                // reported below
            }
        }
        throw new StepFailedException(which + " is not a number: " + (n == null ? "null" : n.toString()), false);
    }
}
