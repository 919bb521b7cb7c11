package io.flowfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** A FlowPlatform in the referring resource's namespace. */
public class PlatformRef {

  @Required
  @JsonPropertyDescription("Name of the FlowPlatform (same namespace).")
  private String name;

  public PlatformRef() {}

  public PlatformRef(String name) { this.name = name; }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
}
