package io.flowfleet.operator.health;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.flowfleet.operator.examples.Manifests;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Map;
import org.luaj.vm2.Globals;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/**
 * Runs one of the chart's Argo CD health scripts (charts/flowfleet-operator/health/*.lua) the way Argo CD does:
 * the resource as the global {@code obj} (a Lua table of its JSON), the chunk's return value a table with
 * {@code status} and {@code message}.
 */
public final class ArgoHealth {

  public record Result(String status, String message) {}

  private static final KubernetesSerialization JSON = new KubernetesSerialization();

  private final String script;
  private final String name;

  private ArgoHealth(String name, String script) {
    this.name = name;
    this.script = script;
  }

  /** {@code kind}: FlowPlatform or WorkerGroup. */
  public static ArgoHealth forKind(String kind) {
    Path file = Manifests.repositoryRoot().resolve("charts/flowfleet-operator/health/" + kind.toLowerCase() + ".lua");
    try {
      return new ArgoHealth(file.toString(), Files.readString(file));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Result of(HasMetadata resource) {
    return of(JSON.convertValue(resource, JsonNode.class));
  }

  public Result of(JsonNode resource) {
    Globals globals = JsePlatform.standardGlobals();
    globals.set("obj", toLua(resource));
    LuaValue result = globals.load(script, name).call();
    if (!result.istable()) {
      throw new AssertionError(name + " returned " + result + ", not a table");
    }
    return new Result(result.get("status").optjstring(null), result.get("message").optjstring(null));
  }

  static LuaValue toLua(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return LuaValue.NIL;
    }
    if (node.isObject()) {
      LuaTable table = new LuaTable();
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> field = it.next();
        table.set(field.getKey(), toLua(field.getValue()));
      }
      return table;
    }
    if (node.isArray()) {
      LuaTable table = new LuaTable();
      for (int i = 0; i < node.size(); i++) {
        table.set(i + 1, toLua(node.get(i)));
      }
      return table;
    }
    if (node.isBoolean()) {
      return LuaValue.valueOf(node.booleanValue());
    }
    if (node.isIntegralNumber()) {
      return org.luaj.vm2.LuaInteger.valueOf(node.longValue());
    }
    if (node.isNumber()) {
      return LuaValue.valueOf(node.doubleValue());
    }
    return LuaValue.valueOf(node.asText());
  }
}
