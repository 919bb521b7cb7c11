package io.flowfleet.operator.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The packaged jar, as the README runs it: {@code java -jar operator/target/flowfleet-operator.jar render -f ...}. */
class RenderJarIT {

  static final Path JAR = Path.of("target/flowfleet-operator.jar");

  @TempDir
  Path dir;

  @Test
  void rendersThePeakFiftyExampleWithFiftyWorkersAndFiveApps() throws Exception {
    Run run = run("render", "-f", "../examples/platform-peak-50.yaml");
    assertThat(run.exit).as(run.err).isZero();
    List<String> documents = List.of(run.out.split("(?m)^---$"));
    String workers = documents.stream().filter(d -> d.contains("name: \"production-worker\"")
        && d.contains("kind: \"Deployment\"")).findFirst().orElseThrow();
    String apps = documents.stream().filter(d -> d.contains("name: \"production-app\"")
        && d.contains("kind: \"Deployment\"")).findFirst().orElseThrow();
    assertThat(workers).contains("replicas: 50");
    assertThat(apps).contains("replicas: 5");
    assertThat(run.out).doesNotContain("INFO").doesNotContain("WARN");
  }

  @Test
  void anInvalidPlatformExitsTwoWithTheReasonOnStderr() throws Exception {
    String platform = Files.readString(Path.of("../examples/platform-peak-50.yaml"))
        .replace("secretName: flowfleet-redis\n    region: eu-west-1", "secretName: flowfleet-redis\n    region: us-east-1");
    assertThat(platform).contains("region: us-east-1");
    Path file = Files.writeString(dir.resolve("elsewhere.yaml"), platform);
    Run run = run("render", "-f", file.toString());
    assertThat(run.exit).isEqualTo(2);
    assertThat(run.out).isEmpty();
    assertThat(run.err).contains("RegionMismatch");
  }

  private static Run run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).start();
    var out = process.getInputStream().readAllBytes();
    var err = process.getErrorStream().readAllBytes();
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return new Run(process.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
  }

  record Run(int exit, String out, String err) {}
}
