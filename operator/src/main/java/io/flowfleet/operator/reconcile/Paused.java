package io.flowfleet.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;

/**
 * The {@value #ANNOTATION} annotation: "true" stops every change to the resource's fleet (nothing is applied,
 * what runs keeps running) and reports reason Paused, which Argo CD's health check shows as Suspended.
 */
public final class Paused {

  public static final String ANNOTATION = "flowfleet.io/paused";
  static final String MESSAGE = "paused by the annotation " + ANNOTATION + "=\"true\": changes are not applied "
      + "until it is removed";

  private Paused() {}

  public static boolean isPaused(HasMetadata resource) {
    var annotations = resource.getMetadata().getAnnotations();
    return annotations != null && "true".equalsIgnoreCase(String.valueOf(annotations.get(ANNOTATION)).trim());
  }
}
