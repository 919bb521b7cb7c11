package io.flowfleet.operator.validation;

import io.flowfleet.contract.RuntimeSettings;
import io.flowfleet.operator.api.ExecutionMode;
import io.flowfleet.operator.api.FlowPlatform;
import io.flowfleet.operator.api.FlowPlatformSpec;
import io.flowfleet.operator.api.StoreRef;
import io.flowfleet.operator.desired.StoreEnv;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Checks a FlowPlatform before anything is applied. An empty list means valid. */
public final class PlatformValidator {

  /** "-runtime" is the longest suffix; Service names and label values may have 63 characters. */
  public static final int MAX_NAME = 63 - "-runtime".length();

  private PlatformValidator() {}

  public static List<Problem> validate(FlowPlatform platform, SecretLookup secrets) {
    List<Problem> problems = new ArrayList<>();
    FlowPlatformSpec spec = platform.getSpec();
    if (spec == null) {
      return List.of(new Problem(Reasons.INVALID_SPEC, "spec is missing: a FlowPlatform needs at least "
          + "peakConcurrentFlows, region, apiKeySecretRef, postgres, redis and s3"));
    }
    requiredFields(spec, problems);
    String name = platform.getMetadata().getName();
    if (name != null && name.length() > MAX_NAME) {
      problems.add(new Problem(Reasons.INVALID_SPEC, "the name " + name + " is " + name.length() + " characters long; "
          + "a FlowPlatform's name may have at most " + MAX_NAME + " (it prefixes its Service, Deployments and "
          + "labels, which Kubernetes limits to 63): recreate it under a shorter name"));
    }
    if (!problems.isEmpty()) {
      return problems;
    }
    regions(spec, problems);
    if (spec.getExecution() != null && spec.getExecution().getMode() != null
        && ExecutionMode.parse(spec.getExecution().getMode()).isEmpty()) {
      problems.add(new Problem(Reasons.UNKNOWN_EXECUTION_MODE, "spec.execution.mode '" + spec.getExecution().getMode()
          + "' is unknown" + ContractChecks.unsupportedMode(spec.getExecution().getMode()) + ": use one of " + modes()
          + " (SANDBOX_CODE_ONLY is the recommended default)"));
    }
    ContractChecks.limits(spec, problems);
    if (spec.getExecution() != null) {
      ContractChecks.range("spec.execution.workerConcurrency", RuntimeSettings.WORKER_CONCURRENCY,
          spec.getExecution().getWorkerConcurrency(), problems);
    }
    ContractChecks.env("spec.app.env", spec.getApp() == null ? null : spec.getApp().getEnv(), problems);
    ContractChecks.env("spec.worker.env", spec.getWorker() == null ? null : spec.getWorker().getEnv(), problems);
    String ns = platform.getMetadata().getNamespace();
    secret(secrets, ns, "spec.postgres.secretName", spec.getPostgres().getSecretName(), StoreEnv.POSTGRES_KEYS, problems);
    secret(secrets, ns, "spec.redis.secretName", spec.getRedis().getSecretName(), StoreEnv.REDIS_KEYS, problems);
    secret(secrets, ns, "spec.s3.secretName", spec.getS3().getSecretName(), StoreEnv.S3_KEYS, problems);
    secret(secrets, ns, "spec.apiKeySecretRef.name", spec.getApiKeySecretRef().getName(), StoreEnv.API_KEY_KEYS,
        problems);
    return problems;
  }

  /** What the CRD schema enforces, checked again for offline render and for clusters with an older CRD. */
  private static void requiredFields(FlowPlatformSpec spec, List<Problem> problems) {
    List<String> missing = new ArrayList<>();
    if (spec.getPeakConcurrentFlows() == null) {
      missing.add("peakConcurrentFlows");
    }
    if (blank(spec.getRegion())) {
      missing.add("region");
    }
    if (spec.getApiKeySecretRef() == null || blank(spec.getApiKeySecretRef().getName())) {
      missing.add("apiKeySecretRef.name");
    }
    store("postgres", spec.getPostgres(), missing);
    store("redis", spec.getRedis(), missing);
    if (spec.getS3() == null) {
      problems.add(new Problem(Reasons.INVALID_SPEC, "spec.s3 is required: production file storage is S3 with signed "
          + "URLs; name a Secret with keys bucket, accessKeyId, secretAccessKey and give the bucket's region"));
    } else {
      store("s3", spec.getS3(), missing);
    }
    if (!missing.isEmpty()) {
      problems.add(new Problem(Reasons.INVALID_SPEC, "required field(s) missing: "
          + missing.stream().map(f -> "spec." + f).collect(Collectors.joining(", "))));
    }
    if (spec.getPeakConcurrentFlows() != null && spec.getPeakConcurrentFlows() < 1) {
      problems.add(new Problem(Reasons.INVALID_SPEC, "spec.peakConcurrentFlows is " + spec.getPeakConcurrentFlows()
          + ": it must be at least 1 (the number of flows the platform runs at once)"));
    }
    if (spec.getExecution() != null && spec.getExecution().getWorkerConcurrency() != null
        && spec.getExecution().getWorkerConcurrency() < 1) {
      problems.add(new Problem(Reasons.INVALID_SPEC, "spec.execution.workerConcurrency must be at least 1 (1 is "
          + "recommended)"));
    }
  }

  private static void store(String field, StoreRef store, List<String> missing) {
    if (store == null) {
      missing.add(field);
      return;
    }
    if (blank(store.getSecretName())) {
      missing.add(field + ".secretName");
    }
    if (blank(store.getRegion())) {
      missing.add(field + ".region");
    }
  }

  private static void regions(FlowPlatformSpec spec, List<Problem> problems) {
    List<String> elsewhere = new ArrayList<>();
    check("postgres", spec.getPostgres(), spec.getRegion(), elsewhere);
    check("redis", spec.getRedis(), spec.getRegion(), elsewhere);
    check("s3", spec.getS3(), spec.getRegion(), elsewhere);
    if (!elsewhere.isEmpty()) {
      problems.add(new Problem(Reasons.REGION_MISMATCH, String.join(", ", elsewhere) + " not in the platform's region "
          + spec.getRegion() + ": every run crosses regions to reach them. Move the store(s) to " + spec.getRegion()
          + " (then update the region field), or run the platform where the stores are."));
    }
  }

  private static void check(String name, StoreRef store, String region, List<String> elsewhere) {
    if (!region.equals(store.getRegion())) {
      elsewhere.add(name + " (spec." + name + ".region) is in " + store.getRegion());
    }
  }

  static void secret(SecretLookup secrets, String namespace, String field, String name, List<String> keys,
      List<Problem> problems) {
    SecretLookup.Result found = secrets.find(namespace, name);
    if (!found.known()) {
      return;
    }
    if (!found.exists()) {
      problems.add(new Problem(Reasons.SECRET_NOT_FOUND, "Secret " + name + " (" + field + ") not found in namespace "
          + namespace + ": create it with key(s) " + String.join(", ", keys) + ", or point " + field
          + " at an existing one"));
      return;
    }
    List<String> missingKeys = keys.stream().filter(k -> !found.keys().contains(k)).toList();
    if (!missingKeys.isEmpty()) {
      problems.add(new Problem(Reasons.SECRET_KEY_MISSING, "Secret " + name + " (" + field + ") in namespace "
          + namespace + " lacks key(s) " + String.join(", ", missingKeys) + ": add them (pods read them by reference)"));
    }
  }

  static String modes() {
    return Arrays.stream(ExecutionMode.values()).map(Enum::name).collect(Collectors.joining(", "));
  }

  static boolean blank(String s) {
    return s == null || s.isBlank();
  }
}
