package io.flowfleet.operator.api;

import io.flowfleet.contract.RuntimeSettings;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;
import java.util.ArrayList;
import java.util.List;

/** Dedicated capacity for named tenants (projects) of one FlowPlatform. */
@ValidationRule(value = "self.peakConcurrentFlows >= 1",
    message = "spec.peakConcurrentFlows must be at least 1: it is the number of this group's flows running at once")
@ValidationRule(value = "self.projects.all(p, size(p) > 0 && !p.contains(',') && !p.contains('='))",
    message = "spec.projects: each project id must be non-empty and contain neither ',' nor '=' (they separate " + RuntimeSettings.ENV_VAR_QUEUE_ROUTES + ")")
public class WorkerGroupSpec {

  @Required
  @JsonPropertyDescription("The FlowPlatform (same namespace) whose stores, limits and images this group uses.")
  private PlatformRef platformRef;

  @Required
  @Size(min = 1)
  @JsonPropertyDescription("Projects (tenants) whose runs go to this group's queue (" + RuntimeSettings.ENV_VAR_QUEUE_ROUTES + " of the platform's "
      + "apps). Projects not listed by any group run on the platform's default queue.")
  private List<String> projects = new ArrayList<>();

  @Required
  @Min(1)
  @SpecReplicas
  @JsonPropertyDescription("Peak number of this group's flows running at once: the group gets that many worker slots.")
  private Integer peakConcurrentFlows;

  @JsonPropertyDescription("Execution settings of the group's workers.")
  private WorkerGroupExecutionSpec execution = new WorkerGroupExecutionSpec();

  @JsonPropertyDescription("The group's worker pods: image, resources, extra env (unset: the platform's worker settings).")
  private RoleSpec worker = new RoleSpec();

  public PlatformRef getPlatformRef() { return platformRef; }
  public void setPlatformRef(PlatformRef platformRef) { this.platformRef = platformRef; }
  public List<String> getProjects() { return projects; }
  public void setProjects(List<String> projects) { this.projects = projects; }
  public Integer getPeakConcurrentFlows() { return peakConcurrentFlows; }
  public void setPeakConcurrentFlows(Integer peakConcurrentFlows) { this.peakConcurrentFlows = peakConcurrentFlows; }
  public WorkerGroupExecutionSpec getExecution() { return execution; }
  public void setExecution(WorkerGroupExecutionSpec execution) { this.execution = execution; }
  public RoleSpec getWorker() { return worker; }
  public void setWorker(RoleSpec worker) { this.worker = worker; }
}
