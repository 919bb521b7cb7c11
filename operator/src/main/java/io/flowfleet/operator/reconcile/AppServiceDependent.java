package io.flowfleet.operator.reconcile;

import io.fabric8.kubernetes.api.model.Service;
import io.flowfleet.operator.api.FlowPlatform;
import io.flowfleet.operator.desired.AppTier;
import io.flowfleet.operator.desired.FleetNames;
import io.flowfleet.operator.desired.FleetLabels;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** The Service in front of the platform's apps. */
@KubernetesDependent(informer = @Informer(
    labelSelector = FleetLabels.MANAGED_SELECTOR + "," + FleetLabels.COMPONENT + "=" + FleetLabels.COMPONENT_APP))
public class AppServiceDependent extends CRUDKubernetesDependentResource<Service, FlowPlatform> {

  public AppServiceDependent() {
    super(Service.class);
  }

  @Override
  protected Service desired(FlowPlatform primary, Context<FlowPlatform> context) {
    return AppTier.service(primary);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(FlowPlatform primary, Context<FlowPlatform> context) {
    return new ResourceID(FleetNames.app(primary.getMetadata().getName()), primary.getMetadata().getNamespace());
  }
}
