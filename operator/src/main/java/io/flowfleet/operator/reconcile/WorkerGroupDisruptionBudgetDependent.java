package io.flowfleet.operator.reconcile;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.flowfleet.operator.api.WorkerGroup;
import io.flowfleet.operator.desired.WorkerGroupTier;
import io.flowfleet.operator.desired.FleetLabels;
import io.javaoperatorsdk.operator.api.config.informer.Informer;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.CRUDKubernetesDependentResource;
import io.javaoperatorsdk.operator.processing.dependent.kubernetes.KubernetesDependent;
import io.javaoperatorsdk.operator.processing.event.ResourceID;

/** The PodDisruptionBudget of a WorkerGroup's workers. */
@KubernetesDependent(informer = @Informer(
    labelSelector = FleetLabels.MANAGED_SELECTOR + "," + FleetLabels.COMPONENT + "=" + FleetLabels.COMPONENT_WORKER_GROUP))
public class WorkerGroupDisruptionBudgetDependent extends CRUDKubernetesDependentResource<PodDisruptionBudget, WorkerGroup> {

  public WorkerGroupDisruptionBudgetDependent() {
    super(PodDisruptionBudget.class);
  }

  @Override
  protected PodDisruptionBudget desired(WorkerGroup primary, Context<WorkerGroup> context) {
    return WorkerGroupTier.disruptionBudget(primary);
  }

  @Override
  protected ResourceID targetSecondaryResourceID(WorkerGroup primary, Context<WorkerGroup> context) {
    return new ResourceID(WorkerGroupTier.name(primary), primary.getMetadata().getNamespace());
  }
}
