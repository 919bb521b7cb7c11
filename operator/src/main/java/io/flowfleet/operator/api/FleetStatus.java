package io.flowfleet.operator.api;

import io.flowfleet.contract.RuntimeSettings;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.model.annotation.LabelSelector;
import io.fabric8.kubernetes.model.annotation.StatusReplicas;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Status shared by FlowPlatform and WorkerGroup: what was observed, the Ready condition, the worker counts. */
public abstract class FleetStatus {

  @JsonPropertyDescription("metadata.generation of the spec this status describes.")
  private Long observedGeneration;

  @JsonPropertyDescription("Conditions after Kubernetes conventions. Ready: True when every desired pod is ready; "
      + "False with a reason (Progressing, RegionMismatch, SecretNotFound, SecretKeyMissing, UnknownExecutionMode, ...) "
      + "and a message saying what to do. lastTransitionTime changes only when the status flips.")
  private List<Condition> conditions = new ArrayList<>();

  @JsonPropertyDescription("Worker pods the operator asks for.")
  private Integer desiredWorkers;

  @JsonPropertyDescription("Worker pods ready.")
  private Integer readyWorkers;

  @JsonPropertyDescription("Ready and desired workers as ready/desired (printer column).")
  private String workers;

  @JsonPropertyDescription("Flow slots: worker pods times workerConcurrency.")
  private Integer slots;

  @StatusReplicas
  @JsonPropertyDescription("Flow slots of ready workers: readyWorkers times workerConcurrency. The scale subresource's "
      + "status replicas, to compare with spec.peakConcurrentFlows.")
  private Integer readySlots;

  @LabelSelector
  @JsonPropertyDescription("Label selector of the worker pods (the scale subresource's selector).")
  private String selector;

  @JsonPropertyDescription("Present when workerConcurrency is above 1: the pre-migration shape and the recommended one.")
  private String migration;

  @JsonPropertyDescription("Input the operator ignored, e.g. the dead variable " + RuntimeSettings.DEAD_PRE_WARM_CACHE + " dropped from extra env.")
  private List<String> warnings = new ArrayList<>();

  public Long getObservedGeneration() { return observedGeneration; }
  public void setObservedGeneration(Long observedGeneration) { this.observedGeneration = observedGeneration; }
  public List<Condition> getConditions() { return conditions; }
  public void setConditions(List<Condition> conditions) { this.conditions = conditions; }
  public Integer getDesiredWorkers() { return desiredWorkers; }
  public void setDesiredWorkers(Integer desiredWorkers) { this.desiredWorkers = desiredWorkers; }
  public Integer getReadyWorkers() { return readyWorkers; }
  public void setReadyWorkers(Integer readyWorkers) { this.readyWorkers = readyWorkers; }
  public String getWorkers() { return workers; }
  public void setWorkers(String workers) { this.workers = workers; }
  public Integer getReadySlots() { return readySlots; }
  public void setReadySlots(Integer readySlots) { this.readySlots = readySlots; }
  public String getSelector() { return selector; }
  public void setSelector(String selector) { this.selector = selector; }
  public Integer getSlots() { return slots; }
  public void setSlots(Integer slots) { this.slots = slots; }
  public String getMigration() { return migration; }
  public void setMigration(String migration) { this.migration = migration; }
  public List<String> getWarnings() { return warnings; }
  public void setWarnings(List<String> warnings) { this.warnings = warnings; }

  @Override
  public boolean equals(Object o) {
    if (o == null || o.getClass() != getClass()) {
      return false;
    }
    FleetStatus other = (FleetStatus) o;
    return Objects.equals(observedGeneration, other.observedGeneration)
        && Objects.equals(conditions, other.conditions)
        && Objects.equals(desiredWorkers, other.desiredWorkers)
        && Objects.equals(readyWorkers, other.readyWorkers)
        && Objects.equals(workers, other.workers)
        && Objects.equals(slots, other.slots)
        && Objects.equals(readySlots, other.readySlots)
        && Objects.equals(selector, other.selector)
        && Objects.equals(migration, other.migration)
        && Objects.equals(warnings, other.warnings);
  }

  @Override
  public int hashCode() {
    return Objects.hash(observedGeneration, conditions, desiredWorkers, readyWorkers, slots);
  }
}
