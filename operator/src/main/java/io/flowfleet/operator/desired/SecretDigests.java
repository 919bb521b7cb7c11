package io.flowfleet.operator.desired;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Digests of the Secrets pods read, for the {@value #ANNOTATION} pod-template annotation: a changed password
 * changes the annotation of exactly the pod templates that read that Secret, and their Deployments roll.
 * The operator never keeps a Secret's values: the informer stores each Secret with every value replaced by its
 * SHA-256 ({@link #digested}), and the digest of a Secret is computed from those.
 */
@FunctionalInterface
public interface SecretDigests {

  String ANNOTATION = "flowfleet.io/secrets-hash";

  /** The digest of the Secret's data, or null when not known (offline render without the Secret). */
  String digestOf(String secretName);

  static SecretDigests none() {
    return name -> null;
  }

  /** From Secrets whose values are already digested ({@link #digested}), e.g. the informer's cache. */
  static SecretDigests of(Collection<Secret> digestedSecrets) {
    Map<String, String> byName = new TreeMap<>();
    digestedSecrets.forEach(s -> byName.put(s.getMetadata().getName(), digest(s)));
    return byName::get;
  }

  /** The names of the Secrets an env list reads (secretKeyRef), sorted. */
  static TreeSet<String> referencedBy(Collection<EnvVar> env) {
    TreeSet<String> names = new TreeSet<>();
    env.stream().filter(e -> e.getValueFrom() != null && e.getValueFrom().getSecretKeyRef() != null)
        .map(e -> e.getValueFrom().getSecretKeyRef().getName()).filter(Objects::nonNull).forEach(names::add);
    return names;
  }

  /** The annotation value for pods reading {@code names}: one hash over each Secret's name and digest. */
  default String annotation(Collection<String> names) {
    StringBuilder canonical = new StringBuilder();
    new TreeSet<>(names).forEach(n -> canonical.append(n).append('=')
        .append(Objects.requireNonNullElse(digestOf(n), "unknown")).append('\n'));
    return sha256(canonical.toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
  }

  /** A copy holding only name, namespace, version and each key with the SHA-256 of its value (stringData folded in). */
  static Secret digested(Secret secret) {
    Map<String, String> digests = new TreeMap<>();
    if (secret.getData() != null) {
      secret.getData().forEach((k, v) -> digests.put(k, sha256(v == null ? new byte[0] : Base64.getDecoder().decode(v))));
    }
    if (secret.getStringData() != null) {
      secret.getStringData().forEach((k, v) -> digests.put(k,
          sha256(v == null ? new byte[0] : v.getBytes(StandardCharsets.UTF_8))));
    }
    return new SecretBuilder()
        .withMetadata(new ObjectMetaBuilder().withName(secret.getMetadata().getName())
            .withNamespace(secret.getMetadata().getNamespace()).withUid(secret.getMetadata().getUid())
            .withResourceVersion(secret.getMetadata().getResourceVersion()).build())
        .withType(secret.getType())
        .withData(digests)
        .build();
  }

  /** The digest of a digested Secret: its keys and value digests. */
  static String digest(Secret digested) {
    StringBuilder canonical = new StringBuilder();
    new TreeMap<>(Objects.requireNonNullElse(digested.getData(), Map.<String, String>of()))
        .forEach((k, v) -> canonical.append(k).append('=').append(v).append('\n'));
    return sha256(canonical.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static String sha256(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
