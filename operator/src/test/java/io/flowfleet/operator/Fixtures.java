package io.flowfleet.operator;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.flowfleet.operator.api.FlowPlatform;
import io.flowfleet.operator.api.FlowPlatformSpec;
import io.flowfleet.operator.api.PlatformRef;
import io.flowfleet.operator.api.SecretRef;
import io.flowfleet.operator.api.StoreRef;
import io.flowfleet.operator.api.WorkerGroup;
import io.flowfleet.operator.api.WorkerGroupSpec;
import io.flowfleet.operator.validation.SecretLookup;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Test resources: a valid platform and worker group in namespace "flows", and their Secrets. */
public final class Fixtures {

  public static final String NAMESPACE = "flows";
  public static final String REGION = "eu-west-1";

  /** The Secrets a valid platform references, with their keys. */
  public static final Map<String, Set<String>> SECRETS = Map.of(
      "pg", Set.of("url", "username", "password"),
      "redis", Set.of("url"),
      "s3", Set.of("bucket", "accessKeyId", "secretAccessKey"),
      "api-key", Set.of("apiKey"));

  public static final SecretLookup ALL_SECRETS = (ns, name) -> SECRETS.containsKey(name)
      ? SecretLookup.Result.found(SECRETS.get(name)) : SecretLookup.Result.missing();

  private Fixtures() {}

  public static FlowPlatform platform(String name, int peak) {
    FlowPlatformSpec spec = new FlowPlatformSpec();
    spec.setPeakConcurrentFlows(peak);
    spec.setRegion(REGION);
    spec.setApiKeySecretRef(new SecretRef("api-key"));
    spec.setPostgres(new StoreRef("pg", REGION));
    spec.setRedis(new StoreRef("redis", REGION));
    spec.setS3(new StoreRef("s3", REGION));
    FlowPlatform platform = new FlowPlatform();
    platform.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
    platform.setSpec(spec);
    return platform;
  }

  public static WorkerGroup group(String name, String platform, int peak, String... projects) {
    WorkerGroupSpec spec = new WorkerGroupSpec();
    spec.setPlatformRef(new PlatformRef(platform));
    spec.setPeakConcurrentFlows(peak);
    spec.setProjects(List.of(projects));
    WorkerGroup group = new WorkerGroup();
    group.setMetadata(new ObjectMetaBuilder().withName(name).withNamespace(NAMESPACE).build());
    group.setSpec(spec);
    return group;
  }
}
