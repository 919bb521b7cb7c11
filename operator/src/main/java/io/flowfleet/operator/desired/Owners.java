package io.flowfleet.operator.desired;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import java.util.List;

/** Owner references: deleting the custom resource makes Kubernetes' garbage collector delete its children. */
public final class Owners {

  private Owners() {}

  /**
   * The controller reference to {@code owner}; empty when the owner has no uid yet (offline render: it exists
   * only in a file, the cluster fills the reference in when the operator applies).
   */
  public static List<OwnerReference> controllerReferences(HasMetadata owner) {
    String uid = owner.getMetadata().getUid();
    if (uid == null || uid.isBlank()) {
      return List.of();
    }
    return List.of(new OwnerReferenceBuilder()
        .withApiVersion(owner.getApiVersion())
        .withKind(owner.getKind())
        .withName(owner.getMetadata().getName())
        .withUid(uid)
        .withController(true)
        .withBlockOwnerDeletion(true)
        .build());
  }
}
