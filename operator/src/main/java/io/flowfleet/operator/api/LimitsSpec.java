package io.flowfleet.operator.api;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Min;

/** Runtime limits, passed to app and worker pods as AP_* variables through the runtime ConfigMap. */
public class LimitsSpec {

  @Default("600")
  @Min(1)
  @JsonPropertyDescription("AP_FLOW_TIMEOUT_SECONDS: a flow run is stopped after this many seconds. Default 600.")
  private Integer flowTimeoutSeconds = 600;

  @Default("30")
  @Min(1)
  @JsonPropertyDescription("AP_WEBHOOK_TIMEOUT_SECONDS: a sync webhook answers 408 after this many seconds (the run "
      + "goes on). Default 30.")
  private Integer webhookTimeoutSeconds = 30;

  @Default("25")
  @Min(1)
  @JsonPropertyDescription("AP_MAX_WEBHOOK_PAYLOAD_SIZE_MB: largest accepted webhook body, in MB. Default 25.")
  private Integer maxWebhookPayloadSizeMb = 25;

  @Default("25")
  @Min(1)
  @JsonPropertyDescription("AP_MAX_FILE_SIZE_MB: largest file a step may produce, in MB. Default 25.")
  private Integer maxFileSizeMb = 25;

  @Default("50")
  @Min(1)
  @JsonPropertyDescription("AP_MAX_FLOW_RUN_LOG_SIZE_MB: largest run log kept, in MB. Default 50.")
  private Integer maxFlowRunLogSizeMb = 50;

  public Integer getFlowTimeoutSeconds() { return flowTimeoutSeconds; }
  public void setFlowTimeoutSeconds(Integer v) { this.flowTimeoutSeconds = v; }
  public Integer getWebhookTimeoutSeconds() { return webhookTimeoutSeconds; }
  public void setWebhookTimeoutSeconds(Integer v) { this.webhookTimeoutSeconds = v; }
  public Integer getMaxWebhookPayloadSizeMb() { return maxWebhookPayloadSizeMb; }
  public void setMaxWebhookPayloadSizeMb(Integer v) { this.maxWebhookPayloadSizeMb = v; }
  public Integer getMaxFileSizeMb() { return maxFileSizeMb; }
  public void setMaxFileSizeMb(Integer v) { this.maxFileSizeMb = v; }
  public Integer getMaxFlowRunLogSizeMb() { return maxFlowRunLogSizeMb; }
  public void setMaxFlowRunLogSizeMb(Integer v) { this.maxFlowRunLogSizeMb = v; }
}
