package io.flowfleet.operator.desired;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.flowfleet.contract.RuntimeSettings;
import io.flowfleet.contract.Setting;
import io.flowfleet.operator.api.FlowPlatformSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * Connection settings as references to the Secrets (secretKeyRef): the operator never reads or copies their
 * values. Secret keys and variable names are the contract in docs/architecture.md.
 */
public final class StoreEnv {

  public static final String POSTGRES_URL = "url";
  public static final String POSTGRES_USERNAME = "username";
  public static final String POSTGRES_PASSWORD = "password";
  public static final String REDIS_URL = "url";
  public static final String S3_BUCKET = "bucket";
  public static final String S3_ACCESS_KEY_ID = "accessKeyId";
  public static final String S3_SECRET_ACCESS_KEY = "secretAccessKey";
  public static final String S3_ENDPOINT = "endpoint";
  public static final String API_KEY = "apiKey";

  /** Required keys per store, for validation. */
  public static final List<String> POSTGRES_KEYS = List.of(POSTGRES_URL, POSTGRES_USERNAME, POSTGRES_PASSWORD);
  public static final List<String> REDIS_KEYS = List.of(REDIS_URL);
  public static final List<String> S3_KEYS = List.of(S3_BUCKET, S3_ACCESS_KEY_ID, S3_SECRET_ACCESS_KEY);
  public static final List<String> API_KEY_KEYS = List.of(API_KEY);

  private StoreEnv() {}

  /** What both tiers need: Postgres, Redis, S3. */
  public static List<EnvVar> stores(FlowPlatformSpec spec) {
    String pg = spec.getPostgres().getSecretName();
    String redis = spec.getRedis().getSecretName();
    String s3 = spec.getS3().getSecretName();
    List<EnvVar> env = new ArrayList<>();
    env.add(fromSecret(RuntimeSettings.POSTGRES_URL, pg, POSTGRES_URL, false));
    env.add(fromSecret(RuntimeSettings.POSTGRES_USERNAME, pg, POSTGRES_USERNAME, false));
    env.add(fromSecret(RuntimeSettings.POSTGRES_PASSWORD, pg, POSTGRES_PASSWORD, false));
    env.add(fromSecret(RuntimeSettings.REDIS_URL, redis, REDIS_URL, false));
    env.add(fromSecret(RuntimeSettings.S3_BUCKET, s3, S3_BUCKET, false));
    env.add(fromSecret(RuntimeSettings.S3_ENDPOINT, s3, S3_ENDPOINT, true));
    env.add(fromSecret(RuntimeSettings.S3_ACCESS_KEY_ID, s3, S3_ACCESS_KEY_ID, false));
    env.add(fromSecret(RuntimeSettings.S3_SECRET_ACCESS_KEY, s3, S3_SECRET_ACCESS_KEY, false));
    return env;
  }

  /** The management API key: only the app tier serves the API. */
  public static EnvVar apiKey(FlowPlatformSpec spec) {
    return fromSecret(RuntimeSettings.API_KEY, spec.getApiKeySecretRef().getName(), API_KEY, false);
  }

  private static EnvVar fromSecret(Setting variable, String secret, String key, boolean optional) {
    return new EnvVarBuilder()
        .withName(variable.name())
        .withNewValueFrom()
        .withNewSecretKeyRef(key, secret, optional ? Boolean.TRUE : null)
        .endValueFrom()
        .build();
  }
}
