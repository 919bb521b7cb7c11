package io.flowfleet.operator.validation;

import static io.flowfleet.operator.Fixtures.ALL_SECRETS;
import static io.flowfleet.operator.Fixtures.group;
import static io.flowfleet.operator.Fixtures.platform;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowfleet.operator.api.FlowPlatform;
import io.flowfleet.operator.api.StoreRef;
import io.flowfleet.operator.api.WorkerGroup;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ValidatorsTest {

  @Test
  void aCompletePlatformIsValid() {
    assertThat(PlatformValidator.validate(platform("p", 5), ALL_SECRETS)).isEmpty();
  }

  @Test
  void aStoreInAnotherRegionIsARegionMismatchNamingTheStore() {
    FlowPlatform platform = platform("p", 5);
    platform.getSpec().setRedis(new StoreRef("redis", "us-east-1"));
    assertThat(PlatformValidator.validate(platform, ALL_SECRETS)).singleElement().satisfies(p -> {
      assertThat(p.reason()).isEqualTo(Reasons.REGION_MISMATCH);
      assertThat(p.message()).contains("redis (spec.redis.region) is in us-east-1").contains("eu-west-1");
    });
  }

  @Test
  void aMissingSecretIsNamed() {
    SecretLookup noPostgres = (ns, name) -> name.equals("pg") ? SecretLookup.Result.missing() : ALL_SECRETS.find(ns, name);
    assertThat(PlatformValidator.validate(platform("p", 5), noPostgres)).singleElement().satisfies(p -> {
      assertThat(p.reason()).isEqualTo(Reasons.SECRET_NOT_FOUND);
      assertThat(p.message()).contains("Secret pg (spec.postgres.secretName) not found in namespace flows")
          .contains("url, username, password");
    });
  }

  @Test
  void aSecretWithoutAKeyIsNamedWithTheKey() {
    SecretLookup noBucket = (ns, name) -> name.equals("s3")
        ? SecretLookup.Result.found(Set.of("accessKeyId", "secretAccessKey")) : ALL_SECRETS.find(ns, name);
    assertThat(PlatformValidator.validate(platform("p", 5), noBucket)).singleElement().satisfies(p -> {
      assertThat(p.reason()).isEqualTo(Reasons.SECRET_KEY_MISSING);
      assertThat(p.message()).contains("Secret s3").contains("lacks key(s) bucket");
    });
  }

  @Test
  void unknownSecretsAreNotProblemsOffline() {
    assertThat(PlatformValidator.validate(platform("p", 5), (ns, name) -> SecretLookup.Result.unknown())).isEmpty();
  }

  @Test
  void anUnknownExecutionModeListsTheKnownOnes() {
    FlowPlatform platform = platform("p", 5);
    platform.getSpec().getExecution().setMode("SANDBOX_V8");
    assertThat(PlatformValidator.validate(platform, ALL_SECRETS)).singleElement().satisfies(p -> {
      assertThat(p.reason()).isEqualTo(Reasons.UNKNOWN_EXECUTION_MODE);
      assertThat(p.message()).contains("SANDBOX_V8").contains("SANDBOX_CODE_ONLY, SANDBOX_PROCESS");
    });
  }

  @Test
  void whatTheSchemaRejectsIsCaughtOfflineToo() {
    FlowPlatform noS3 = platform("p", 5);
    noS3.getSpec().setS3(null);
    assertThat(PlatformValidator.validate(noS3, ALL_SECRETS)).extracting(Problem::reason).containsExactly(Reasons.INVALID_SPEC);
    assertThat(PlatformValidator.validate(noS3, ALL_SECRETS).getFirst().message()).contains("spec.s3 is required");
    assertThat(PlatformValidator.validate(platform("p", 0), ALL_SECRETS)).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("at least 1"));
  }

  @Test
  void aWorkerGroupInCodeOnlyModeIsRefused() {
    WorkerGroup group = group("g", "p", 2, "acme");
    group.getSpec().getExecution().setMode("SANDBOX_CODE_ONLY");
    assertThat(WorkerGroupValidator.validate(group, Optional.of(platform("p", 5)), List.of(), ALL_SECRETS))
        .singleElement().satisfies(p -> {
          assertThat(p.reason()).isEqualTo(Reasons.CODE_ONLY_MODE_IN_WORKER_GROUP);
          assertThat(p.message()).contains("SANDBOX_PROCESS");
        });
  }

  @Test
  void aWorkerGroupOfAMissingPlatformNamesIt() {
    assertThat(WorkerGroupValidator.validate(group("g", "nope", 2, "acme"), Optional.empty(), List.of(), ALL_SECRETS))
        .singleElement().satisfies(p -> {
          assertThat(p.reason()).isEqualTo(Reasons.PLATFORM_NOT_FOUND);
          assertThat(p.message()).contains("FlowPlatform nope").contains("namespace flows");
        });
  }

  @Test
  void aValidWorkerGroupHasNoProblems() {
    assertThat(WorkerGroupValidator.validate(group("g", "p", 2, "acme"), Optional.of(platform("p", 5)), List.of(),
        ALL_SECRETS)).isEmpty();
  }

  @Test
  void theDefaultQueueNameIsReservedAndAProjectRunsOnOneQueue() {
    assertThat(WorkerGroupValidator.validate(group("default", "p", 2, "acme"), Optional.of(platform("p", 5)),
        List.of(), ALL_SECRETS)).extracting(Problem::reason).containsExactly(Reasons.QUEUE_NAME_RESERVED);
    WorkerGroup first = group("a-group", "p", 2, "acme");
    WorkerGroup second = group("b-group", "p", 2, "acme", "other");
    assertThat(WorkerGroupValidator.validate(first, Optional.of(platform("p", 5)), List.of(first, second), ALL_SECRETS))
        .isEmpty();
    assertThat(WorkerGroupValidator.validate(second, Optional.of(platform("p", 5)), List.of(first, second), ALL_SECRETS))
        .singleElement().satisfies(p -> {
          assertThat(p.reason()).isEqualTo(Reasons.PROJECT_CONFLICT);
          assertThat(p.message()).contains("acme (WorkerGroup a-group)");
        });
  }

  @Test
  void aWorkerGroupOfAnInvalidPlatformSaysWhy() {
    FlowPlatform platform = platform("p", 5);
    platform.getSpec().setS3(new StoreRef("s3", "us-east-1"));
    assertThat(WorkerGroupValidator.validate(group("g", "p", 2, "acme"), Optional.of(platform), List.of(), ALL_SECRETS))
        .singleElement().satisfies(p -> {
          assertThat(p.reason()).isEqualTo(Reasons.PLATFORM_INVALID);
          assertThat(p.message()).contains("RegionMismatch");
        });
  }

  @Test
  void aChangedPlatformRefIsRefusedNamingBothPlatforms() {
    WorkerGroup group = group("g", "other", 2, "acme");
    assertThat(WorkerGroupValidator.platformRefChange(group, "first")).hasValueSatisfying(p -> {
      assertThat(p.reason()).isEqualTo(Reasons.PLATFORM_REF_CHANGED);
      assertThat(p.message()).contains("from first to other").contains("Set it back to first");
    });
    assertThat(WorkerGroupValidator.platformRefChange(group, "other")).isEmpty();
    assertThat(WorkerGroupValidator.platformRefChange(group, null)).isEmpty();
  }

  @Test
  void namesThatWouldOverflowKubernetesLimitsAreRefused() {
    String longName = "p".repeat(PlatformValidator.MAX_NAME + 1);
    assertThat(PlatformValidator.validate(platform(longName, 2), ALL_SECRETS)).singleElement()
        .satisfies(p -> assertThat(p.message()).contains("at most " + PlatformValidator.MAX_NAME));
    assertThat(PlatformValidator.validate(platform("p".repeat(PlatformValidator.MAX_NAME), 2), ALL_SECRETS)).isEmpty();
    assertThat(WorkerGroupValidator.validate(group("g".repeat(60), "p", 1, "acme"), Optional.of(platform("p", 2)),
        List.of(), ALL_SECRETS)).extracting(Problem::reason).containsExactly(Reasons.INVALID_SPEC);
  }
}
