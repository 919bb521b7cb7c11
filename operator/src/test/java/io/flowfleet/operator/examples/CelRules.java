package io.flowfleet.operator.examples;

import com.fasterxml.jackson.databind.JsonNode;
import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelValidationException;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Evaluates a CRD schema's {@code x-kubernetes-validations} CEL rules against a resource, as the API server
 * does on create: each rule sees {@code self}, the value at the schema node that carries it, after defaulting;
 * a rule at a node whose value is absent is not evaluated. Transition rules (those reading {@code oldSelf})
 * only apply to updates and are skipped. Kubernetes' own CEL libraries beyond the standard ones and the
 * strings/lists/regex extensions (quantity, url, ip) are not available here: a rule using them fails to
 * compile, loudly, rather than passing unchecked.
 */
public final class CelRules {

  private static final Cel CEL = CelFactory.standardCelBuilder()
      .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
      .addVar("self", SimpleType.DYN)
      .addCompilerLibraries(CelExtensions.strings(), CelExtensions.lists(), CelExtensions.regex())
      .addRuntimeLibraries(CelExtensions.strings(), CelExtensions.lists(), CelExtensions.regex())
      .build();

  private CelRules() {}

  /** A rule found in a schema, with the JSON path of the node that carries it. */
  public record Rule(String path, String expression, String message) {}

  /** Every rule of the schema, in document order. */
  public static List<Rule> rules(JsonNode openApiSchema) {
    List<Rule> rules = new ArrayList<>();
    collect(openApiSchema, "$", rules);
    return rules;
  }

  private static void collect(JsonNode schema, String path, List<Rule> rules) {
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      rules.add(new Rule(path, rule.path("rule").asText(), rule.path("message").asText(rule.path("rule").asText())));
    }
    schema.path("properties").properties().forEach(p -> collect(p.getValue(), path + "." + p.getKey(), rules));
    if (schema.path("items").isObject()) {
      collect(schema.get("items"), path + "[*]", rules);
    }
    if (schema.path("additionalProperties").isObject()) {
      collect(schema.get("additionalProperties"), path + ".*", rules);
    }
  }

  /** The messages of the rules the resource (already defaulted) violates; empty when every rule holds. */
  public static List<String> violations(JsonNode openApiSchema, JsonNode resource) {
    List<String> violations = new ArrayList<>();
    check(openApiSchema, resource, "$", violations);
    return violations;
  }

  private static void check(JsonNode schema, JsonNode value, String path, List<String> violations) {
    if (value == null || value.isMissingNode() || value.isNull()) {
      return;
    }
    for (JsonNode rule : schema.path("x-kubernetes-validations")) {
      String expression = rule.path("rule").asText();
      if (expression.contains("oldSelf")) {
        continue;
      }
      if (!Boolean.TRUE.equals(evaluate(expression, value))) {
        violations.add(path + ": " + rule.path("message").asText(expression));
      }
    }
    schema.path("properties").properties()
        .forEach(p -> check(p.getValue(), value.get(p.getKey()), path + "." + p.getKey(), violations));
    if (schema.path("items").isObject() && value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        check(schema.get("items"), value.get(i), path + "[" + i + "]", violations);
      }
    }
    if (schema.path("additionalProperties").isObject() && value.isObject()) {
      value.properties().forEach(e -> {
        if (!schema.path("properties").has(e.getKey())) {
          check(schema.get("additionalProperties"), e.getValue(), path + "." + e.getKey(), violations);
        }
      });
    }
  }

  /** Parses and checks one rule; a rule that does not compile here is an error, never a pass. */
  public static CelAbstractSyntaxTree compile(String expression) {
    try {
      return CEL.compile(expression).getAst();
    } catch (CelValidationException e) {
      throw new IllegalStateException("CEL rule does not compile: " + expression + "\n" + e.getMessage(), e);
    }
  }

  /** Evaluates one rule with {@code self} bound to the value: its result, or the evaluation error. */
  public static Object evaluate(String expression, JsonNode self) {
    try {
      return CEL.createProgram(compile(expression)).eval(Map.of("self", toCel(self)));
    } catch (CelEvaluationException e) {
      // The API server reports an evaluation error as a failed validation; so do we.
      return e;
    }
  }

  /** JSON to CEL values: objects to maps, arrays to lists, integers to long, other numbers to double. */
  static Object toCel(JsonNode node) {
    if (node.isObject()) {
      Map<String, Object> map = new LinkedHashMap<>();
      node.properties().forEach(e -> map.put(e.getKey(), toCel(e.getValue())));
      return map;
    }
    if (node.isArray()) {
      List<Object> list = new ArrayList<>();
      node.forEach(item -> list.add(toCel(item)));
      return list;
    }
    if (node.isIntegralNumber()) {
      return node.asLong();
    }
    if (node.isNumber()) {
      return node.asDouble();
    }
    if (node.isBoolean()) {
      return node.asBoolean();
    }
    if (node.isNull()) {
      return dev.cel.common.values.NullValue.NULL_VALUE;
    }
    return node.asText();
  }
}
