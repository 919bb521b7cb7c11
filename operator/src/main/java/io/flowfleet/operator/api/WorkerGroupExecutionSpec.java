package io.flowfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.flowfleet.contract.RuntimeSettings;

/** Execution settings of a worker group. Tenant isolation needs the process sandbox. */
public class WorkerGroupExecutionSpec {

  @Default("SANDBOX_PROCESS")
  @JsonPropertyDescription(RuntimeSettings.ENV_VAR_EXECUTION_MODE + " of the group's workers. Must be SANDBOX_PROCESS (the "
      + "default): SANDBOX_CODE_ONLY is refused for worker groups (reason CodeOnlyModeInWorkerGroup).")
  private String mode = ExecutionMode.SANDBOX_PROCESS.name();

  @Default("true")
  @JsonPropertyDescription(RuntimeSettings.ENV_VAR_REUSE_SANDBOX + ": keep the sandbox process warm between runs. Default true.")
  private Boolean reuseSandbox = Boolean.TRUE;

  @Default("1")
  @Min(1)
  @Max(RuntimeSettings.WORKER_CONCURRENCY_MAX)
  @JsonPropertyDescription(RuntimeSettings.ENV_VAR_WORKER_CONCURRENCY + " of the group's workers. Default 1, at most "
      + RuntimeSettings.WORKER_CONCURRENCY_MAX + "; above 1, slots stay "
      + "peakConcurrentFlows and each pod is sized concurrency times the default worker resources.")
  private Integer workerConcurrency = 1;

  public String getMode() { return mode; }
  public void setMode(String mode) { this.mode = mode; }
  public Boolean getReuseSandbox() { return reuseSandbox; }
  public void setReuseSandbox(Boolean reuseSandbox) { this.reuseSandbox = reuseSandbox; }
  public Integer getWorkerConcurrency() { return workerConcurrency; }
  public void setWorkerConcurrency(Integer workerConcurrency) { this.workerConcurrency = workerConcurrency; }
}
