package io.flowfleet.operator.desired;

import io.flowfleet.operator.OperatorVersion;
import io.flowfleet.operator.api.ImageSpec;

/** Image of a role: unset parts default to Flowfleet's images at the operator's own version. */
public record Images(String reference, String tag, String pullPolicy) {

  public static final String APP_REPOSITORY = "flowfleet/flowfleet-app";
  public static final String WORKER_REPOSITORY = "flowfleet/flowfleet-worker";
  static final String DEFAULT_PULL_POLICY = "IfNotPresent";

  /** {@code fallback} (may be null) fills what {@code image} leaves unset before the defaults do. */
  public static Images resolve(ImageSpec image, ImageSpec fallback, String defaultRepository) {
    String repository = first(image == null ? null : image.getRepository(),
        fallback == null ? null : fallback.getRepository(), defaultRepository);
    String tag = first(image == null ? null : image.getTag(), fallback == null ? null : fallback.getTag(),
        OperatorVersion.get());
    String pullPolicy = first(image == null ? null : image.getPullPolicy(),
        fallback == null ? null : fallback.getPullPolicy(), DEFAULT_PULL_POLICY);
    return new Images(repository + ":" + tag, tag, pullPolicy);
  }

  private static String first(String... values) {
    for (String v : values) {
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    throw new IllegalStateException("no default");
  }
}
