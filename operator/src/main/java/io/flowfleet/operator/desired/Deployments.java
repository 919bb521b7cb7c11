package io.flowfleet.operator.desired;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import java.util.Map;

/** What every Flowfleet Deployment and PodDisruptionBudget share. */
final class Deployments {

  private Deployments() {}

  /**
   * A statically sized Deployment whose rollouts never drop below its ready count (maxUnavailable 0): new pods
   * come up and get warm before old ones go, so the warm slot count holds through upgrades.
   */
  static Deployment build(HasMetadata owner, String name, PodTemplates.Role role, int replicas, IntOrString maxSurge) {
    return new DeploymentBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(owner.getMetadata().getNamespace())
        .withLabels(role.labels())
        .withOwnerReferences(Owners.controllerReferences(owner))
        .endMetadata()
        .withNewSpec()
        .withReplicas(replicas)
        .withRevisionHistoryLimit(5)
        .withNewSelector().withMatchLabels(role.selector()).endSelector()
        .withNewStrategy()
        .withType("RollingUpdate")
        .withNewRollingUpdate().withMaxUnavailable(new IntOrString(0)).withMaxSurge(maxSurge).endRollingUpdate()
        .endStrategy()
        .withTemplate(PodTemplates.template(role))
        .endSpec()
        .build();
  }

  /** Node drains take one pod of the role at a time. */
  static PodDisruptionBudget disruptionBudget(HasMetadata owner, String name, Map<String, String> selector) {
    return new PodDisruptionBudgetBuilder()
        .withNewMetadata()
        .withName(name)
        .withNamespace(owner.getMetadata().getNamespace())
        .withLabels(FleetLabels.full(selector, null))
        .withOwnerReferences(Owners.controllerReferences(owner))
        .endMetadata()
        .withNewSpec()
        .withMaxUnavailable(new IntOrString(1))
        .withNewSelector().withMatchLabels(selector).endSelector()
        .endSpec()
        .build();
  }
}
