package io.flowfleet.operator.reconcile;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.flowfleet.operator.api.WorkerGroup;
import io.flowfleet.operator.desired.WorkerGroupTier;
import io.flowfleet.operator.desired.FleetLabels;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** A WorkerGroup's worker Deployment on the group's own queue. */
@KubernetesDependent(informer = @Informer(
    labelSelector = FleetLabels.MANAGED_SELECTOR + "," + FleetLabels.COMPONENT + "=" + FleetLabels.COMPONENT_WORKER_GROUP))
public class WorkerGroupDeploymentDependent extends CRUDKubernetesDependentResource<Deployment, WorkerGroup> {

  public WorkerGroupDeploymentDependent() {
    super(Deployment.class);
  }

  @Override
  protected Deployment desired(WorkerGroup primary, Context<WorkerGroup> context) {
    return WorkerGroupTier.deployment(primary, WorkerGroupReconciler.platform(context), CachedSecrets.of(context));
  }

  @Override
  protected ResourceID targetSecondaryResourceID(WorkerGroup primary, Context<WorkerGroup> context) {
    return new ResourceID(WorkerGroupTier.name(primary), primary.getMetadata().getNamespace());
  }
}
