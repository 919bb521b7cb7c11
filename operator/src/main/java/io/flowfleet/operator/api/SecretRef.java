package io.flowfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

/** A Secret in the resource's own namespace, by name. */
public class SecretRef {

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("Name of the Secret (same namespace).")
  private String name;

  public SecretRef() {}

  public SecretRef(String name) { this.name = name; }

  public String getName() { return name; }
  public void setName(String name) { this.name = name; }
}
