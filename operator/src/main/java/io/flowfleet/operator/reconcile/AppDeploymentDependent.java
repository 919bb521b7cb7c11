package io.flowfleet.operator.reconcile;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.flowfleet.operator.api.FlowPlatform;
import io.flowfleet.operator.desired.AppTier;
import io.flowfleet.operator.desired.FleetNames;
import io.flowfleet.operator.desired.FleetLabels;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** The platform's app Deployment: ceil(peak / 10) replicas. */
@KubernetesDependent(informer = @Informer(
    labelSelector = FleetLabels.MANAGED_SELECTOR + "," + FleetLabels.COMPONENT + "=" + FleetLabels.COMPONENT_APP))
public class AppDeploymentDependent extends CRUDKubernetesDependentResource<Deployment, FlowPlatform> {

  public AppDeploymentDependent() {
    super(Deployment.class);
  }

  @Override
  protected Deployment desired(FlowPlatform primary, Context<FlowPlatform> context) {
    return AppTier.deployment(primary, FlowPlatformReconciler.routedGroups(context), CachedSecrets.of(context));
  }

  @Override
  protected ResourceID targetSecondaryResourceID(FlowPlatform primary, Context<FlowPlatform> context) {
    return new ResourceID(FleetNames.app(primary.getMetadata().getName()), primary.getMetadata().getNamespace());
  }
}
