package io.flowfleet.operator.api;

import io.flowfleet.contract.RuntimeSettings;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.ArrayList;
import java.util.List;

/** Per-role settings (app or worker): image, resources, extra environment. */
public class RoleSpec {

  @JsonPropertyDescription("Container image of this role.")
  private ImageSpec image;

  @JsonPropertyDescription("Resources of one pod of this role. Default: app requests 1 vCPU / 1Gi, worker 0.5 vCPU / 1Gi "
      + "(times workerConcurrency when it is above 1); memory limit = memory request, no CPU limit. "
      + "When set, used as given for every pod.")
  private ResourceRequirements resources;

  @JsonPropertyDescription("Extra environment variables of this role's containers. A variable the operator owns (the "
      + "runtime contract's operator-only and Secret settings: execution mode, concurrency, queue name and routes, "
      + "limits, stores, shutdown grace) is refused (reason ReservedEnv): set it through spec.limits or spec.execution. "
      + "Tunable settings (" + RuntimeSettings.ENV_VAR_POSTGRES_POOL_SIZE + ", " + RuntimeSettings.ENV_VAR_RUN_LEASE_SECONDS
      + ", " + RuntimeSettings.ENV_VAR_RUN_MAX_ATTEMPTS + ", " + RuntimeSettings.ENV_VAR_WORKER_ID + ", "
      + RuntimeSettings.ENV_VAR_SANDBOX_JVM_OPTIONS + ") and other variables may be set. "
      + RuntimeSettings.DEAD_PRE_WARM_CACHE + " is dead (it does nothing since Activepieces 0.86.0): it is dropped and "
      + "reported in status.warnings.")
  private List<EnvVar> env = new ArrayList<>();

  public ImageSpec getImage() { return image; }
  public void setImage(ImageSpec image) { this.image = image; }
  public ResourceRequirements getResources() { return resources; }
  public void setResources(ResourceRequirements resources) { this.resources = resources; }
  public List<EnvVar> getEnv() { return env; }
  public void setEnv(List<EnvVar> env) { this.env = env; }
}
