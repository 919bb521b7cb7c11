package io.flowfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.flowfleet.contract.RuntimeSettings;

/** How the platform's workers execute flows. */
public class ExecutionSpec {

  @Default("SANDBOX_CODE_ONLY")
  @JsonPropertyDescription(RuntimeSettings.ENV_VAR_EXECUTION_MODE + ": SANDBOX_CODE_ONLY (default, recommended: engine in "
      + "the worker JVM, code steps in a GraalVM sandbox) or SANDBOX_PROCESS (engine in a child process per slot). "
      + "There is no unsandboxed mode: UNSANDBOXED is refused.")
  private String mode = ExecutionMode.SANDBOX_CODE_ONLY.name();

  @Default("true")
  @JsonPropertyDescription(RuntimeSettings.ENV_VAR_REUSE_SANDBOX + ": keep bundle, compiled code and JS engine warm between runs. Default true; "
      + "false makes every run cold.")
  private Boolean reuseSandbox = Boolean.TRUE;

  @Default("1")
  @Min(1)
  @Max(RuntimeSettings.WORKER_CONCURRENCY_MAX)
  @JsonPropertyDescription(RuntimeSettings.ENV_VAR_WORKER_CONCURRENCY + ": flows one worker pod runs at once. Default 1 "
      + "(recommended: one flow per worker), at most " + RuntimeSettings.WORKER_CONCURRENCY_MAX + ". Above 1 (the pre-migration shape) the slot count stays peakConcurrentFlows: "
      + "workers = ceil(peak / concurrency), each sized concurrency times the default worker resources.")
  private Integer workerConcurrency = 1;

  public String getMode() { return mode; }
  public void setMode(String mode) { this.mode = mode; }
  public Boolean getReuseSandbox() { return reuseSandbox; }
  public void setReuseSandbox(Boolean reuseSandbox) { this.reuseSandbox = reuseSandbox; }
  public Integer getWorkerConcurrency() { return workerConcurrency; }
  public void setWorkerConcurrency(Integer workerConcurrency) { this.workerConcurrency = workerConcurrency; }
}
