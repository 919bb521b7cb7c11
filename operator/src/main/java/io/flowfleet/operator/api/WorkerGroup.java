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

/** Dedicated worker capacity, on its own queue, for named tenants of one FlowPlatform. */
@Group(FlowPlatform.GROUP)
@Version(FlowPlatform.VERSION)
@Kind("WorkerGroup")
@Singular("workergroup")
@Plural("workergroups")
@ShortNames("wg")
@Categories("flowfleet")
@AdditionalPrinterColumn(name = "Platform", jsonPath = ".spec.platformRef.name", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Ready\")].status",
    type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Peak", jsonPath = ".spec.peakConcurrentFlows", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Workers", jsonPath = ".status.workers", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Reason", jsonPath = ".status.conditions[?(@.type==\"Ready\")].reason",
    type = AdditionalPrinterColumn.Type.STRING, priority = 1)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class WorkerGroup extends CustomResource<WorkerGroupSpec, WorkerGroupStatus> implements Namespaced {
}
