package io.flowfleet.operator.desired;

import io.flowfleet.operator.OperatorVersion;
import io.flowfleet.operator.api.ImageSpec;

/**
 * Image of a role: unset parts default to Flowfleet's images at the operator's own version. With a digest the
 * reference is {@code repository@sha256:...} (immutable) and the version label names the digest's start.
 */
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
    // a digest given with the image wins over one inherited from the fallback, as the tag does
    String digest = image != null && image.getDigest() != null && !image.getDigest().isBlank() ? image.getDigest()
        : image != null && image.getTag() != null && !image.getTag().isBlank() ? null
        : fallback == null || fallback.getDigest() == null || fallback.getDigest().isBlank() ? null : fallback.getDigest();
    if (digest != null) {
      boolean tagGiven = (image != null && image.getTag() != null && !image.getTag().isBlank())
          || (fallback != null && fallback.getTag() != null && !fallback.getTag().isBlank());
      // the label value: the tag when one was given, else the digest's first 12 hex digits (no ':' in labels)
      String label = tagGiven ? tag : "sha256-" + digest.substring("sha256:".length(), "sha256:".length() + 12);
      return new Images(repository + "@" + digest, label, pullPolicy);
    }
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
