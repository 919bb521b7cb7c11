package io.flowfleet.operator.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.fabric8.kubernetes.api.model.Secret;
import io.flowfleet.operator.api.FlowPlatform;
import io.flowfleet.operator.api.WorkerGroup;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The resources of the files given to {@code render}: FlowPlatforms, WorkerGroups and, when present, Secrets (only
 * their key names are used, to check references offline). Other kinds are skipped: the user applies them as they are.
 */
public record RenderInput(List<FlowPlatform> platforms, List<WorkerGroup> groups, List<Secret> secrets) {

  static final String STDIN = "-";
  static final String API_VERSION = FlowPlatform.GROUP + "/" + FlowPlatform.VERSION;

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory())
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  /** Reads every YAML document of every file; unknown fields of our kinds are errors (a typo must not pass). */
  public static RenderInput read(List<Path> files) throws IOException, InvalidInputException {
    return read(files, System.in);
  }

  /** {@code -} among the files reads {@code stdin} (e.g. {@code kustomize build . | ... render -f -}). */
  public static RenderInput read(List<Path> files, InputStream stdin) throws IOException, InvalidInputException {
    List<FlowPlatform> platforms = new ArrayList<>();
    List<WorkerGroup> groups = new ArrayList<>();
    List<Secret> secrets = new ArrayList<>();
    for (Path file : files) {
      boolean fromStdin = file.toString().equals(STDIN);
      if (!fromStdin && !Files.isRegularFile(file)) {
        throw new InvalidInputException(file + ": no such file");
      }
      try (InputStream in = fromStdin ? new java.io.FilterInputStream(stdin) {
            @Override
            public void close() { } // stdin stays open
          } : Files.newInputStream(file);
          MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(in)) {
        int index = 0;
        while (documents.hasNextValue()) {
          JsonNode document = documents.nextValue();
          index++;
          if (document == null || document.isNull() || document.isMissingNode() || document.isEmpty()) {
            continue;
          }
          String apiVersion = document.path("apiVersion").asText("");
          String kind = document.path("kind").asText("");
          String where = file + " (document " + index + ", " + kind + " " + document.path("metadata").path("name").asText("?") + ")";
          try {
            if (API_VERSION.equals(apiVersion) && "FlowPlatform".equals(kind)) {
              platforms.add(YAML.treeToValue(document, FlowPlatform.class));
            } else if (API_VERSION.equals(apiVersion) && "WorkerGroup".equals(kind)) {
              groups.add(YAML.treeToValue(document, WorkerGroup.class));
            } else if ("v1".equals(apiVersion) && "Secret".equals(kind)) {
              secrets.add(YAML.copy().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)
                  .treeToValue(document, Secret.class));
            } else if (kind.equals("FlowPlatform") || kind.equals("WorkerGroup")) {
              throw new InvalidInputException(where + ": apiVersion must be " + API_VERSION + ", not '" + apiVersion + "'");
            }
          } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidInputException(where + ": " + e.getOriginalMessage());
          }
        }
      } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
        throw new InvalidInputException(file + ": not valid YAML: " + e.getOriginalMessage());
      }
    }
    return new RenderInput(platforms, groups, secrets);
  }

  /** Bad files or documents: render exits 2 with the message. */
  public static final class InvalidInputException extends Exception {
    public InvalidInputException(String message) {
      super(message);
    }
  }
}
