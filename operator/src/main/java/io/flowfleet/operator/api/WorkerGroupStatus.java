package io.flowfleet.operator.api;

import io.flowfleet.contract.RuntimeSettings;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.Objects;

/** Observed state of a WorkerGroup. */
public class WorkerGroupStatus extends FleetStatus {

  @JsonPropertyDescription("The queue the group's workers serve (" + RuntimeSettings.ENV_VAR_QUEUE_NAME + "): the WorkerGroup's name.")
  private String queue;

  public String getQueue() { return queue; }
  public void setQueue(String queue) { this.queue = queue; }

  @Override
  public boolean equals(Object o) {
    return super.equals(o) && o instanceof WorkerGroupStatus other && Objects.equals(queue, other.queue);
  }

  @Override
  public int hashCode() { return Objects.hash(super.hashCode(), queue); }
}
