package io.flowfleet.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Categories;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A Flowfleet platform: one app/worker fleet sized from its peak concurrent flows. */
@Group(FlowPlatform.GROUP)
@Version(FlowPlatform.VERSION)
@Kind("FlowPlatform")
@Singular("flowplatform")
@Plural("flowplatforms")
@ShortNames("fp")
@Categories("flowfleet")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Peak", jsonPath = ".spec.peakConcurrentFlows", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Workers", jsonPath = ".status.workers", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Apps", jsonPath = ".status.apps", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class FlowPlatform extends CustomResource<FlowPlatformSpec, FlowPlatformStatus> implements Namespaced {

  public static final String GROUP = "flowfleet.io";
  public static final String VERSION = "v1alpha1";
}
