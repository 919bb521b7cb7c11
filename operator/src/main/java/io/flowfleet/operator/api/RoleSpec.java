package io.flowfleet.operator.api;

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

  @JsonPropertyDescription("Extra environment variables of this role's containers. An entry overrides an operator-set "
      + "variable of the same name. AP_PRE_WARM_CACHE is dead (it does nothing since Activepieces 0.86.0): "
      + "it is dropped and reported in status.warnings.")
  private List<EnvVar> env = new ArrayList<>();

  public ImageSpec getImage() { return image; }
  public void setImage(ImageSpec image) { this.image = image; }
  public ResourceRequirements getResources() { return resources; }
  public void setResources(ResourceRequirements resources) { this.resources = resources; }
  public List<EnvVar> getEnv() { return env; }
  public void setEnv(List<EnvVar> env) { this.env = env; }
}
