package io.flowfleet.operator.desired;

import io.flowfleet.contract.RuntimeSettings;
import io.flowfleet.contract.Setting;
import io.flowfleet.operator.api.FlowPlatformSpec;
import io.flowfleet.operator.api.LimitsSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * A platform's spec.limits with the defaults filled in (an object stored before a field existed has it null), each
 * paired with the contract setting it becomes. Validation, the ConfigMap and the graces all read limits from here.
 */
public record RuntimeLimits(int flowTimeoutSeconds, int webhookTimeoutSeconds, int maxWebhookPayloadSizeMb,
    int maxFileSizeMb, int maxFlowRunLogSizeMb) {

  public static RuntimeLimits of(FlowPlatformSpec spec) {
    return of(spec == null ? null : spec.getLimits());
  }

  public static RuntimeLimits of(LimitsSpec limits) {
    LimitsSpec given = Objects.requireNonNullElseGet(limits, LimitsSpec::new);
    LimitsSpec defaults = new LimitsSpec();
    return new RuntimeLimits(
        Objects.requireNonNullElse(given.getFlowTimeoutSeconds(), defaults.getFlowTimeoutSeconds()),
        Objects.requireNonNullElse(given.getWebhookTimeoutSeconds(), defaults.getWebhookTimeoutSeconds()),
        Objects.requireNonNullElse(given.getMaxWebhookPayloadSizeMb(), defaults.getMaxWebhookPayloadSizeMb()),
        Objects.requireNonNullElse(given.getMaxFileSizeMb(), defaults.getMaxFileSizeMb()),
        Objects.requireNonNullElse(given.getMaxFlowRunLogSizeMb(), defaults.getMaxFlowRunLogSizeMb()));
  }

  /** spec.limits field name → (setting, value), in the CRD's order. */
  public Map<String, Map.Entry<Setting, Integer>> byField() {
    Map<String, Map.Entry<Setting, Integer>> fields = new LinkedHashMap<>();
    fields.put("flowTimeoutSeconds", Map.entry(RuntimeSettings.FLOW_TIMEOUT_SECONDS, flowTimeoutSeconds));
    fields.put("webhookTimeoutSeconds", Map.entry(RuntimeSettings.WEBHOOK_TIMEOUT_SECONDS, webhookTimeoutSeconds));
    fields.put("maxWebhookPayloadSizeMb", Map.entry(RuntimeSettings.MAX_WEBHOOK_PAYLOAD_SIZE_MB, maxWebhookPayloadSizeMb));
    fields.put("maxFileSizeMb", Map.entry(RuntimeSettings.MAX_FILE_SIZE_MB, maxFileSizeMb));
    fields.put("maxFlowRunLogSizeMb", Map.entry(RuntimeSettings.MAX_FLOW_RUN_LOG_SIZE_MB, maxFlowRunLogSizeMb));
    return fields;
  }
}
