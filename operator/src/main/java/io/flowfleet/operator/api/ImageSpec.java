package io.flowfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** Container image of one role. Unset parts fall back to the operator's defaults. */
public class ImageSpec {

  @JsonPropertyDescription("Image repository. Default: flowfleet/flowfleet-app for the app role, "
      + "flowfleet/flowfleet-worker for the worker role.")
  private String repository;

  @Pattern("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")
  @JsonPropertyDescription("Image tag. Default: the operator's own version, so app, worker and operator move together. "
      + "Tags can be moved in the registry; to pin exactly what runs, set digest.")
  private String tag;

  @Pattern("^sha256:[a-f0-9]{64}$")
  @JsonPropertyDescription("Image digest, e.g. sha256:4f6c... (64 hex digits). When set, pods run repository@digest "
      + "(the tag only labels them): an immutable reference, for production.")
  private String digest;

  @Pattern("^(Always|IfNotPresent|Never)$")
  @JsonPropertyDescription("Image pull policy: Always, IfNotPresent or Never. Default: IfNotPresent.")
  private String pullPolicy;

  public String getRepository() { return repository; }
  public void setRepository(String repository) { this.repository = repository; }
  public String getTag() { return tag; }
  public void setTag(String tag) { this.tag = tag; }
  public String getDigest() { return digest; }
  public void setDigest(String digest) { this.digest = digest; }
  public String getPullPolicy() { return pullPolicy; }
  public void setPullPolicy(String pullPolicy) { this.pullPolicy = pullPolicy; }
}
