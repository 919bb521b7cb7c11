package io.flowfleet.operator.api;

import static io.flowfleet.contract.RuntimeSettings.ENV_VAR_FLOW_TIMEOUT_SECONDS;
import static io.flowfleet.contract.RuntimeSettings.ENV_VAR_MAX_FILE_SIZE_MB;
import static io.flowfleet.contract.RuntimeSettings.ENV_VAR_MAX_FLOW_RUN_LOG_SIZE_MB;
import static io.flowfleet.contract.RuntimeSettings.ENV_VAR_MAX_WEBHOOK_PAYLOAD_SIZE_MB;
import static io.flowfleet.contract.RuntimeSettings.ENV_VAR_WEBHOOK_TIMEOUT_SECONDS;
import static io.flowfleet.contract.RuntimeSettings.FLOW_TIMEOUT_SECONDS_MAX;
import static io.flowfleet.contract.RuntimeSettings.MAX_FILE_SIZE_MB_MAX;
import static io.flowfleet.contract.RuntimeSettings.MAX_FLOW_RUN_LOG_SIZE_MB_MAX;
import static io.flowfleet.contract.RuntimeSettings.MAX_WEBHOOK_PAYLOAD_SIZE_MB_MAX;
import static io.flowfleet.contract.RuntimeSettings.WEBHOOK_TIMEOUT_SECONDS_MAX;

import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Default;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/**
 * Runtime limits, passed to app and worker pods as AP_* variables through the runtime ConfigMap. Each maximum is
 * the runtime's own (the contract's *_MAX constants), so the API server refuses what the runtime would.
 */
public class LimitsSpec {

  @Default("600")
  @Min(1)
  @Max(FLOW_TIMEOUT_SECONDS_MAX)
  @JsonPropertyDescription(ENV_VAR_FLOW_TIMEOUT_SECONDS + ": a flow run is stopped after this many seconds. Default 600, "
      + "at most " + FLOW_TIMEOUT_SECONDS_MAX + ". A stopping worker lets its runs finish within this limit.")
  private Integer flowTimeoutSeconds = 600;

  @Default("30")
  @Min(1)
  @Max(WEBHOOK_TIMEOUT_SECONDS_MAX)
  @JsonPropertyDescription(ENV_VAR_WEBHOOK_TIMEOUT_SECONDS + ": a sync webhook answers 408 after this many seconds (the "
      + "run goes on). Default 30, at most " + WEBHOOK_TIMEOUT_SECONDS_MAX + ".")
  private Integer webhookTimeoutSeconds = 30;

  @Default("25")
  @Min(1)
  @Max(MAX_WEBHOOK_PAYLOAD_SIZE_MB_MAX)
  @JsonPropertyDescription(ENV_VAR_MAX_WEBHOOK_PAYLOAD_SIZE_MB + ": largest accepted webhook body, in MB. Default 25, at "
      + "most " + MAX_WEBHOOK_PAYLOAD_SIZE_MB_MAX + ".")
  private Integer maxWebhookPayloadSizeMb = 25;

  @Default("25")
  @Min(1)
  @Max(MAX_FILE_SIZE_MB_MAX)
  @JsonPropertyDescription(ENV_VAR_MAX_FILE_SIZE_MB + ": largest http_request response body or step output, in MB; over "
      + "it the step fails. Default 25, at most " + MAX_FILE_SIZE_MB_MAX + ".")
  private Integer maxFileSizeMb = 25;

  @Default("50")
  @Min(1)
  @Max(MAX_FLOW_RUN_LOG_SIZE_MB_MAX)
  @JsonPropertyDescription(ENV_VAR_MAX_FLOW_RUN_LOG_SIZE_MB + ": largest run log kept, in MB. Default 50, at most "
      + MAX_FLOW_RUN_LOG_SIZE_MB_MAX + ".")
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
