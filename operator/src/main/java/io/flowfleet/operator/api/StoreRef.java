package io.flowfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.Objects;

/** A managed store (Postgres, Redis or S3): the Secret holding its connection settings and the region it lives in. */
public class StoreRef {

  @Required
  @Pattern("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")
  @JsonPropertyDescription("Name of a Secret in the platform's namespace holding this store's connection settings. "
      + "Pods read its keys by reference (secretKeyRef); the operator never copies them.")
  private String secretName;

  @Required
  @JsonPropertyDescription("Region the store lives in, e.g. eu-west-1. Must equal spec.region "
      + "(reason RegionMismatch otherwise): cross-region round trips cost every run.")
  private String region;

  public StoreRef() {}

  public StoreRef(String secretName, String region) {
    this.secretName = secretName;
    this.region = region;
  }

  public String getSecretName() { return secretName; }
  public void setSecretName(String secretName) { this.secretName = secretName; }
  public String getRegion() { return region; }
  public void setRegion(String region) { this.region = region; }

  @Override
  public boolean equals(Object o) {
    return o instanceof StoreRef other && Objects.equals(secretName, other.secretName) && Objects.equals(region, other.region);
  }

  @Override
  public int hashCode() { return Objects.hash(secretName, region); }
}
