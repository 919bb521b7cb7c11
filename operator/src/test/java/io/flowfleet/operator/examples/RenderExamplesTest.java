package io.flowfleet.operator.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.flowfleet.operator.render.RenderCommand;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The examples fed through the operator's offline render command (in-process, the code path of
 * {@code java -jar flowfleet-operator.jar render -f ...}): the peak-50 platform becomes the seed's
 * production shape, 50 workers and 5 apps.
 */
class RenderExamplesTest {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final String COMPONENT = "app.kubernetes.io/component";

  private static Path examples;

  @BeforeAll
  static void locateExamples() {
    examples = Manifests.repositoryRoot().resolve("examples");
  }

  /** What one render run printed and returned. */
  private record Rendered(int exitCode, List<HasMetadata> manifests, String stdout, String stderr) {

    Deployment deployment(String component, String name) {
      List<Deployment> found = manifests.stream().filter(Deployment.class::isInstance).map(Deployment.class::cast)
          .filter(d -> component.equals(d.getMetadata().getLabels().get(COMPONENT)))
          .filter(d -> d.getMetadata().getName().equals(name))
          .toList();
      assertThat(found).as("rendered %s Deployment %s", component, name).hasSize(1);
      return found.getFirst();
    }
  }

  private static Rendered render(Path... files) {
    List<String> args = new ArrayList<>();
    for (Path file : files) {
      args.add("-f");
      args.add(file.toString());
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit = RenderCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
    String stdout = out.toString(StandardCharsets.UTF_8);
    List<HasMetadata> manifests = Manifests.documents(stdout).stream()
        .map(d -> (HasMetadata) SERIALIZATION.unmarshal(d.toString())).toList();
    return new Rendered(exit, manifests, stdout, err.toString(StandardCharsets.UTF_8));
  }

  @Test
  void peak50PlatformRendersFiftyWorkersAndFiveApps() {
    Rendered rendered = render(examples.resolve("platform-peak-50-secrets.yaml"), examples.resolve("platform-peak-50.yaml"));

    assertThat(rendered.exitCode()).as("exit code; stderr: %s", rendered.stderr()).isZero();
    Deployment workers = rendered.deployment("worker", "production-worker");
    Deployment apps = rendered.deployment("app", "production-app");
    assertThat(workers.getSpec().getReplicas()).isEqualTo(50);
    assertThat(apps.getSpec().getReplicas()).isEqualTo(5);

    // The seed's sizing: worker 0.5 vCPU / 1 GiB (25 vCPU / 50 GiB in all), app 1 vCPU / 1 GiB (5 / 5 in all).
    Container worker = workers.getSpec().getTemplate().getSpec().getContainers().getFirst();
    Container app = apps.getSpec().getTemplate().getSpec().getContainers().getFirst();
    assertThat(cpu(worker).multiply(BigDecimal.valueOf(50))).isEqualByComparingTo("25");
    assertThat(memoryGiB(worker).multiply(BigDecimal.valueOf(50))).isEqualByComparingTo("50");
    assertThat(cpu(app).multiply(BigDecimal.valueOf(5))).isEqualByComparingTo("5");
    assertThat(memoryGiB(app).multiply(BigDecimal.valueOf(5))).isEqualByComparingTo("5");

    // The recommended configuration reaches the pods through the runtime ConfigMap.
    ConfigMap config = rendered.manifests().stream().filter(ConfigMap.class::isInstance).map(ConfigMap.class::cast)
        .findFirst().orElseThrow();
    assertThat(config.getData())
        .containsEntry("AP_WORKER_CONCURRENCY", "1")
        .containsEntry("AP_REUSE_SANDBOX", "true")
        .containsEntry("AP_EXECUTION_MODE", "SANDBOX_CODE_ONLY")
        .containsEntry("AP_S3_USE_SIGNED_URLS", "true");
    // Secrets are referenced, never copied: no Secret in the output, no example value in it.
    assertThat(rendered.manifests()).noneMatch(m -> m.getKind().equals("Secret"));
    assertThat(rendered.stdout()).doesNotContain("CHANGE-ME");
  }

  @Test
  void allExamplesTogetherRenderEveryFleetIncludingTheWorkerGroup() throws IOException {
    Path[] files = Manifests.yamlFiles(examples).toArray(Path[]::new);

    Rendered rendered = render(files);

    assertThat(rendered.exitCode()).as("exit code; stderr: %s", rendered.stderr()).isZero();
    assertThat(rendered.deployment("worker", "dev-worker").getSpec().getReplicas()).isEqualTo(2);
    assertThat(rendered.deployment("app", "dev-app").getSpec().getReplicas()).isEqualTo(1);
    Deployment group = rendered.deployment("worker-group", "production-group-premium");
    assertThat(group.getSpec().getReplicas()).isEqualTo(10);
    assertThat(group.getSpec().getTemplate().getSpec().getContainers().getFirst().getEnv())
        .anySatisfy(e -> {
          assertThat(e.getName()).isEqualTo("AP_EXECUTION_MODE");
          assertThat(e.getValue()).isEqualTo("SANDBOX_PROCESS");
        })
        .anySatisfy(e -> {
          assertThat(e.getName()).isEqualTo("AP_QUEUE_NAME");
          assertThat(e.getValue()).isEqualTo("premium");
        });
  }

  @Test
  void storeInAnotherRegionMakesRenderExitTwoWithTheReason(@TempDir Path dir) throws IOException {
    Path platform = dir.resolve("platform.yaml");
    Files.writeString(platform, Files.readString(examples.resolve("platform-peak-50.yaml"))
        .replaceFirst("(?s)(redis:\\s+secretName: flowfleet-redis\\s+region: )eu-west-1", "$1us-east-1"));

    Rendered rendered = render(examples.resolve("platform-peak-50-secrets.yaml"), platform);

    assertThat(rendered.exitCode()).isEqualTo(RenderCommand.INVALID);
    assertThat(rendered.stderr()).contains("RegionMismatch").contains("us-east-1");
    assertThat(rendered.stdout()).isEmpty();
  }

  private static BigDecimal cpu(Container container) {
    return Quantity.getAmountInBytes(container.getResources().getRequests().get("cpu"));
  }

  private static BigDecimal memoryGiB(Container container) {
    return Quantity.getAmountInBytes(container.getResources().getRequests().get("memory"))
        .divide(BigDecimal.valueOf(1024L * 1024 * 1024));
  }
}
