package io.flowfleet.operator.examples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The structural schema (openAPIV3Schema) of one version of a committed CRD, checked the way the API server
 * does before it stores a resource: defaults applied, then the schema, then the CEL rules ({@link CelRules}).
 *
 * <p>The OpenAPI v3 subset CRDs use is JSON Schema (draft 4) once the {@code x-kubernetes-*} keys are set
 * aside. Unknown fields are rejected ({@code additionalProperties: false} on every object that lists its
 * properties and does not preserve unknown fields), as {@code kubectl apply} does with its default strict
 * field validation: a misspelled field in an example fails here instead of being silently dropped.
 */
public final class CrdSchema {

  private static final JsonSchemaFactory DRAFT_4 = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4);

  private final String kind;
  private final String apiVersion;
  private final JsonNode openApiSchema;
  private final JsonSchema jsonSchema;

  private CrdSchema(String kind, String apiVersion, JsonNode openApiSchema) {
    this.kind = kind;
    this.apiVersion = apiVersion;
    this.openApiSchema = openApiSchema;
    this.jsonSchema = DRAFT_4.getSchema(withObjectEnvelope(toJsonSchema(openApiSchema)));
  }

  /** The API server validates apiVersion, kind and metadata itself; a CRD schema may leave them out. */
  private static JsonNode withObjectEnvelope(JsonNode root) {
    ObjectNode schema = (ObjectNode) root;
    ObjectNode properties = schema.has("properties") ? (ObjectNode) schema.get("properties") : schema.putObject("properties");
    if (!properties.has("apiVersion")) {
      properties.putObject("apiVersion").put("type", "string");
    }
    if (!properties.has("kind")) {
      properties.putObject("kind").put("type", "string");
    }
    if (!properties.has("metadata")) {
      properties.putObject("metadata").put("type", "object");
    }
    return schema;
  }

  /** One schema per kind, from every CRD in a directory (the storage version of each). */
  public static Map<String, CrdSchema> loadAll(Path crdDirectory) {
    Map<String, CrdSchema> byKind = new LinkedHashMap<>();
    for (Path file : Manifests.yamlFiles(crdDirectory)) {
      for (JsonNode crd : Manifests.ofKind(Manifests.documents(file), "CustomResourceDefinition")) {
        String group = crd.path("spec").path("group").asText();
        String kind = crd.path("spec").path("names").path("kind").asText();
        for (JsonNode version : crd.path("spec").path("versions")) {
          if (version.path("storage").asBoolean(false)) {
            JsonNode schema = version.path("schema").path("openAPIV3Schema");
            if (schema.isMissingNode()) {
              throw new IllegalStateException(file + ": " + kind + " has no openAPIV3Schema");
            }
            byKind.put(kind, new CrdSchema(kind, group + "/" + version.path("name").asText(), schema));
          }
        }
      }
    }
    return byKind;
  }

  public String kind() { return kind; }

  public String apiVersion() { return apiVersion; }

  public JsonNode openApiSchema() { return openApiSchema; }

  /** The schema violations of a resource, as "path: message" lines; empty when it is valid. */
  public List<String> validate(JsonNode resource) {
    List<String> errors = new ArrayList<>();
    for (ValidationMessage message : jsonSchema.validate(withDefaults(resource))) {
      errors.add(message.getMessage());
    }
    return errors;
  }

  /** A copy of the resource with the schema's defaults filled in where a field is absent (structural defaulting). */
  public JsonNode withDefaults(JsonNode resource) {
    JsonNode copy = resource.deepCopy();
    applyDefaults(openApiSchema, copy);
    return copy;
  }

  private static void applyDefaults(JsonNode schema, JsonNode value) {
    if (value instanceof ObjectNode object) {
      JsonNode properties = schema.path("properties");
      for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> property = it.next();
        if (!object.has(property.getKey()) && property.getValue().has("default")) {
          object.set(property.getKey(), property.getValue().get("default").deepCopy());
        }
        if (object.has(property.getKey())) {
          applyDefaults(property.getValue(), object.get(property.getKey()));
        }
      }
      JsonNode additional = schema.path("additionalProperties");
      if (additional.isObject()) {
        object.properties().forEach(entry -> {
          if (!properties.has(entry.getKey())) {
            applyDefaults(additional, entry.getValue());
          }
        });
      }
    } else if (value instanceof ArrayNode array && schema.path("items").isObject()) {
      array.forEach(item -> applyDefaults(schema.get("items"), item));
    }
  }

  /** The OpenAPI schema as JSON Schema draft 4: x-kubernetes-* keys dropped, nullable folded into type, strict objects. */
  static JsonNode toJsonSchema(JsonNode openApi) {
    if (openApi instanceof ArrayNode array) {
      ArrayNode converted = array.arrayNode();
      array.forEach(item -> converted.add(toJsonSchema(item)));
      return converted;
    }
    if (!(openApi instanceof ObjectNode object)) {
      return openApi;
    }
    ObjectNode converted = object.objectNode();
    object.properties().forEach(entry -> {
      String key = entry.getKey();
      if (key.startsWith("x-kubernetes-") || key.equals("nullable")) {
        return;
      }
      // Under "properties" the keys are field names, not schema keywords: convert each field's schema.
      if (key.equals("properties") && entry.getValue().isObject()) {
        ObjectNode fields = object.objectNode();
        entry.getValue().properties().forEach(field -> fields.set(field.getKey(), toJsonSchema(field.getValue())));
        converted.set(key, fields);
      } else if (key.equals("default") || key.equals("enum") || key.equals("example")) {
        converted.set(key, entry.getValue().deepCopy());
      } else {
        converted.set(key, toJsonSchema(entry.getValue()));
      }
    });
    if (object.path("nullable").asBoolean(false) && object.path("type").isTextual()) {
      converted.set("type", converted.arrayNode().add(object.get("type").asText()).add("null"));
    }
    boolean preservesUnknown = object.path("x-kubernetes-preserve-unknown-fields").asBoolean(false);
    if (object.has("properties") && !object.has("additionalProperties") && !preservesUnknown) {
      converted.put("additionalProperties", false);
    }
    return converted;
  }
}
