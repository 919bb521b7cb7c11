package io.flowfleet.operator.reconcile;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.flowfleet.operator.api.FlowPlatform;
import io.flowfleet.operator.desired.FleetNames;
import io.flowfleet.operator.desired.RuntimeConfig;
import io.flowfleet.operator.desired.FleetLabels;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** The platform's runtime ConfigMap (AP_* settings, limits, queue routes). */
@KubernetesDependent(informer = @Informer(
    labelSelector = FleetLabels.MANAGED_SELECTOR + "," + FleetLabels.COMPONENT + "=" + FleetLabels.COMPONENT_CONFIG))
public class RuntimeConfigMapDependent extends CRUDKubernetesDependentResource<ConfigMap, FlowPlatform> {

  public RuntimeConfigMapDependent() {
    super(ConfigMap.class);
  }

  @Override
  protected ConfigMap desired(FlowPlatform primary, Context<FlowPlatform> context) {
    return RuntimeConfig.configMap(primary, FlowPlatformReconciler.routedGroups(context));
  }

  @Override
  protected ResourceID targetSecondaryResourceID(FlowPlatform primary, Context<FlowPlatform> context) {
    return new ResourceID(FleetNames.runtimeConfig(primary.getMetadata().getName()), primary.getMetadata().getNamespace());
  }
}
