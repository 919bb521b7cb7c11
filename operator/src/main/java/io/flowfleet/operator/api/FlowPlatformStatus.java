package io.flowfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Observed state of a FlowPlatform. */
public class FlowPlatformStatus extends FleetStatus {

  @JsonPropertyDescription("App pods the operator asks for: ceil(slots / 10).")
  private Integer desiredApps;

  @JsonPropertyDescription("App pods ready.")
  private Integer readyApps;

  @JsonPropertyDescription("Ready and desired apps as ready/desired (printer column).")
  private String apps;

  public Integer getDesiredApps() { return desiredApps; }
  public void setDesiredApps(Integer desiredApps) { this.desiredApps = desiredApps; }
  public Integer getReadyApps() { return readyApps; }
  public void setReadyApps(Integer readyApps) { this.readyApps = readyApps; }
  public String getApps() { return apps; }
  public void setApps(String apps) { this.apps = apps; }

  @Override
  public boolean equals(Object o) {
    return super.equals(o) && o instanceof FlowPlatformStatus other
        && Objects.equals(desiredApps, other.desiredApps)
        && Objects.equals(readyApps, other.readyApps)
        && Objects.equals(apps, other.apps);
  }

  @Override
  public int hashCode() { return Objects.hash(super.hashCode(), desiredApps, readyApps); }
}
