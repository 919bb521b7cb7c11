package io.flowfleet.operator.api;

import io.flowfleet.contract.RuntimeSettings;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.model.annotation.SpecReplicas;

/** What a platform team declares: the peak, the stores, and how flows execute. Everything else is derived. */
@ValidationRule(value = "has(self.s3)", reason = "FieldValueRequired",
    message = "spec.s3 is required: production file storage is S3 with signed URLs (name a Secret with keys "
        + "bucket, accessKeyId, secretAccessKey and the bucket's region)")
@ValidationRule(value = "self.peakConcurrentFlows >= 1",
    message = "spec.peakConcurrentFlows must be at least 1: it is the number of flows the platform runs at once")
public class FlowPlatformSpec {

  @Required
  @Min(1)
  @SpecReplicas
  @JsonPropertyDescription("Peak number of flows running at the same time. The whole fleet is sized from it: "
      + "workers = peak (at workerConcurrency 1), apps = ceil(peak / 10). Sized statically for peak, no autoscaler. "
      + "The scale subresource sets it too (kubectl scale flowplatform NAME --replicas=PEAK).")
  private Integer peakConcurrentFlows;

  @Required
  @JsonPropertyDescription("Region the platform runs in, e.g. eu-west-1. Postgres, Redis and S3 must be in the same "
      + "region (reason RegionMismatch otherwise).")
  private String region;

  @Required
  @JsonPropertyDescription("Secret with key apiKey: the management API key (" + RuntimeSettings.ENV_VAR_API_KEY + ", header X-API-Key).")
  private SecretRef apiKeySecretRef;

  @Required
  @JsonPropertyDescription("Postgres, the source of truth for runs. Secret keys: url (JDBC URL), username, password.")
  private StoreRef postgres;

  @Required
  @JsonPropertyDescription("Redis, the run queue. Secret key: url (redis://[:password@]host:port[/db]).")
  private StoreRef redis;

  @Required
  @JsonPropertyDescription("S3 bucket for flow bundles and large outputs (required; workers fetch through signed URLs). "
      + "Secret keys: bucket, accessKeyId, secretAccessKey, optional endpoint (S3-compatible server; unset = AWS).")
  private StoreRef s3;

  @JsonPropertyDescription("Execution settings of the platform's workers.")
  private ExecutionSpec execution = new ExecutionSpec();

  @JsonPropertyDescription("Runtime limits (seed defaults: flow 600 s, sync webhook 30 s, payload 25 MB, "
      + "step file 25 MB, run log 50 MB).")
  private LimitsSpec limits = new LimitsSpec();

  @JsonPropertyDescription("App tier (flows API, webhooks): image, resources, extra env.")
  private RoleSpec app = new RoleSpec();

  @JsonPropertyDescription("Worker tier (executes flows): image, resources, extra env.")
  private RoleSpec worker = new RoleSpec();

  public Integer getPeakConcurrentFlows() { return peakConcurrentFlows; }
  public void setPeakConcurrentFlows(Integer peakConcurrentFlows) { this.peakConcurrentFlows = peakConcurrentFlows; }
  public String getRegion() { return region; }
  public void setRegion(String region) { this.region = region; }
  public SecretRef getApiKeySecretRef() { return apiKeySecretRef; }
  public void setApiKeySecretRef(SecretRef apiKeySecretRef) { this.apiKeySecretRef = apiKeySecretRef; }
  public StoreRef getPostgres() { return postgres; }
  public void setPostgres(StoreRef postgres) { this.postgres = postgres; }
  public StoreRef getRedis() { return redis; }
  public void setRedis(StoreRef redis) { this.redis = redis; }
  public StoreRef getS3() { return s3; }
  public void setS3(StoreRef s3) { this.s3 = s3; }
  public ExecutionSpec getExecution() { return execution; }
  public void setExecution(ExecutionSpec execution) { this.execution = execution; }
  public LimitsSpec getLimits() { return limits; }
  public void setLimits(LimitsSpec limits) { this.limits = limits; }
  public RoleSpec getApp() { return app; }
  public void setApp(RoleSpec app) { this.app = app; }
  public RoleSpec getWorker() { return worker; }
  public void setWorker(RoleSpec worker) { this.worker = worker; }
}
