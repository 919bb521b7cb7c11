package io.flowfleet.operator.desired;

import static io.flowfleet.operator.Fixtures.group;
import static io.flowfleet.operator.Fixtures.platform;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.flowfleet.contract.RuntimeSettings;
import io.flowfleet.operator.api.FlowPlatform;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The times docs/operator.md ("Stopping pods") promises, read the way the runtime reads them: a sync caller held at
 * SIGTERM keeps its whole webhook budget, and a running run its whole flow limit, and each pod outlasts its process's
 * grace by what the process needs after it, so the kubelet's SIGKILL never cuts either short.
 */
class GracesTest {

  @Test
  void aHeldSyncCallerAndARunningRunGetTheirWholeBudgetBeforeThePodIsKilled() {
    for (int webhook : List.of(1, 30, RuntimeSettings.WEBHOOK_TIMEOUT_SECONDS_MAX)) {
      for (int flow : List.of(1, 600, RuntimeSettings.FLOW_TIMEOUT_SECONDS_MAX)) {
        FlowPlatform platform = platform("p", 3);
        platform.getSpec().getLimits().setWebhookTimeoutSeconds(webhook);
        platform.getSpec().getLimits().setFlowTimeoutSeconds(flow);
        Map<String, String> config = io.flowfleet.operator.desired.RuntimeConfig.configMap(platform, List.of()).getData();

        Deployment app = AppTier.deployment(platform, List.of());
        io.flowfleet.core.config.RuntimeConfig appRuntime = io.flowfleet.core.config.RuntimeConfig.from(env(config, app));
        assertThat(appRuntime.appShutdownGrace()).as("app grace, webhook %d", webhook)
            .isGreaterThanOrEqualTo(Duration.ofSeconds(webhook));
        assertThat(grace(app)).as("app pod").isGreaterThanOrEqualTo(
            appRuntime.appShutdownGrace().plusSeconds(RuntimeSettings.APP_STOP_OVERHEAD_SECONDS).toSeconds());

        for (Deployment workers : List.of(WorkerTier.deployment(platform),
            WorkerGroupTier.deployment(group("g", "p", 2, "acme"), platform))) {
          io.flowfleet.core.config.RuntimeConfig worker = io.flowfleet.core.config.RuntimeConfig.from(env(config, workers));
          assertThat(worker.workerShutdownGrace()).as("%s grace, flow %d", workers.getMetadata().getName(), flow)
              .isGreaterThanOrEqualTo(Duration.ofSeconds(flow));
          assertThat(grace(workers)).as("%s pod", workers.getMetadata().getName()).isGreaterThanOrEqualTo(
              worker.workerShutdownGrace().plusSeconds(RuntimeSettings.WORKER_STOP_OVERHEAD_SECONDS).toSeconds());
        }
      }
    }
  }

  @Test
  void gracesAreDerivedFromTheLimitsInOnePlace() {
    FlowPlatform platform = platform("p", 3);
    platform.getSpec().getLimits().setWebhookTimeoutSeconds(120);
    platform.getSpec().getLimits().setFlowTimeoutSeconds(900);
    Graces graces = Graces.of(RuntimeLimits.of(platform.getSpec()));
    assertThat(graces).isEqualTo(new Graces(125, 130, 900, 930));
    assertThat(grace(AppTier.deployment(platform, List.of()))).isEqualTo(130);
    assertThat(grace(WorkerTier.deployment(platform))).isEqualTo(930);
    // an object stored before limits existed gets the defaults' graces
    platform.getSpec().setLimits(null);
    assertThat(Graces.of(RuntimeLimits.of(platform.getSpec()))).isEqualTo(new Graces(35, 40, 600, 630));
  }

  private static long grace(Deployment deployment) {
    return deployment.getSpec().getTemplate().getSpec().getTerminationGracePeriodSeconds();
  }

  /** ConfigMap first (envFrom), then the container's env, which wins; Secret references get valid stand-ins. */
  private static Map<String, String> env(Map<String, String> configMap, Deployment deployment) {
    Map<String, String> env = new HashMap<>(configMap);
    for (EnvVar var : deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv()) {
      env.put(var.getName(), var.getValue() != null ? var.getValue() : switch (var.getName()) {
        case RuntimeSettings.ENV_VAR_POSTGRES_URL -> "jdbc:postgresql://db:5432/flowfleet";
        case RuntimeSettings.ENV_VAR_REDIS_URL -> "redis://redis:6379";
        case RuntimeSettings.ENV_VAR_S3_ENDPOINT -> "https://s3.example.com";
        default -> "from-secret";
      });
    }
    return env;
  }
}
