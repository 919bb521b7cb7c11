package io.flowfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;

/** Container image of one role. Unset parts fall back to the operator's defaults. */
public class ImageSpec {

  @JsonPropertyDescription("Image repository. Default: flowfleet/flowfleet-app for the app role, "
      + "flowfleet/flowfleet-worker for the worker role.")
  private String repository;

  @JsonPropertyDescription("Image tag. Default: the operator's own version, so app, worker and operator move together.")
  private String tag;

  @Pattern("^(Always|IfNotPresent|Never)$")
  @JsonPropertyDescription("Image pull policy: Always, IfNotPresent or Never. Default: IfNotPresent.")
  private String pullPolicy;

  public String getRepository() { return repository; }
  public void setRepository(String repository) { this.repository = repository; }
  public String getTag() { return tag; }
  public void setTag(String tag) { this.tag = tag; }
  public String getPullPolicy() { return pullPolicy; }
  public void setPullPolicy(String pullPolicy) { this.pullPolicy = pullPolicy; }
}
