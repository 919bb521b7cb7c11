package io.flowfleet.operator.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.flowfleet.operator.desired.PodTemplates;
import io.flowfleet.operator.examples.Manifests;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The images cannot be built here (no Docker), so their Dockerfiles are checked by reading them: each starts
 * from the Temurin 25 JRE, copies the jar its module's build produces, and runs as the numeric non-root user
 * that the chart (operator pods) and the operator (app and worker pods) put in runAsUser.
 */
class DockerfilesTest {

  private static final Pattern FINAL_NAME = Pattern.compile("<finalName>([^<]+)</finalName>");
  private static final Pattern USER = Pattern.compile("(?m)^USER\\s+(\\d+)(?::(\\d+))?\\s*$");

  @ParameterizedTest
  @ValueSource(strings = {"operator", "runtime-app", "runtime-worker"})
  void imageRunsTheModulesJarOnTemurin25AsTheNonRootUserPodsExpect(String module) throws IOException {
    Path root = Manifests.repositoryRoot();
    String dockerfile = Files.readString(root.resolve(module).resolve("Dockerfile"));
    Matcher finalName = FINAL_NAME.matcher(Files.readString(root.resolve(module).resolve("pom.xml")));
    assertThat(finalName.find()).as("%s/pom.xml names its jar (finalName)", module).isTrue();
    String jar = module + "/target/" + finalName.group(1) + ".jar";

    List<String> froms = dockerfile.lines().filter(l -> l.startsWith("FROM ")).toList();
    assertThat(froms).isNotEmpty().allSatisfy(from -> assertThat(from).startsWith("FROM eclipse-temurin:25-jre"));
    assertThat(dockerfile).as("%s/Dockerfile copies the jar the build produces", module).contains("COPY " + jar + " ");

    Matcher user = USER.matcher(dockerfile);
    assertThat(user.find()).as("%s/Dockerfile switches to a numeric USER (runAsNonRoot can verify only numbers)", module)
        .isTrue();
    assertThat(Long.parseLong(user.group(1))).isEqualTo(PodTemplates.RUN_AS).isEqualTo(chartRunAsUser(root));
    // The last USER wins: nothing after it switches back to root.
    assertThat(dockerfile.substring(user.end())).doesNotContainPattern("(?m)^USER\\s");
    assertThat(dockerfile).contains("ENTRYPOINT [\"java\"");
  }

  @Test
  void workerImageRunsGraalJsOnTheOptimizingRuntimeWithTheBuildsGraalVmVersion() throws IOException {
    Path root = Manifests.repositoryRoot();
    String dockerfile = Files.readString(root.resolve("runtime-worker/Dockerfile"));
    String rootPom = Files.readString(root.resolve("pom.xml"));
    String graalVersion = firstGroup(Pattern.compile("<graalvm.version>([^<]+)</graalvm.version>"), rootPom);

    assertThat(firstGroup(Pattern.compile("(?m)^ARG GRAALVM_VERSION=(\\S+)$"), dockerfile)).isEqualTo(graalVersion);
    assertThat(dockerfile).contains("-Dartifact=org.graalvm.compiler:compiler:" + graalVersion + " ");
    // The jars the image moves to the module path are the ones runtime-core's tests run optimized with.
    Matcher moduleJar = Pattern.compile("/([a-z0-9-]+)-\\$\\{graalvm.version}\\.jar")
        .matcher(firstGroup(Pattern.compile("<graalvm.modulePath>([^<]+)</graalvm.modulePath>"),
            Files.readString(root.resolve("runtime-core/pom.xml"))));
    List<String> testedModules = new ArrayList<>();
    while (moduleJar.find()) {
      testedModules.add(moduleJar.group(1));
    }
    String movedList = firstGroup(Pattern.compile("(?s)for module in (.+?); do"), dockerfile);
    assertThat(List.of(movedList.replace("\\", " ").trim().split("\\s+"))).containsExactlyInAnyOrderElementsOf(testedModules);
    assertThat(dockerfile).contains("--module-path=/opt/flowfleet/graalvm/modules")
        .contains("--upgrade-module-path=/opt/flowfleet/graalvm/compiler/compiler-${GRAALVM_VERSION}.jar")
        .contains("-XX:+EnableJVMCI")
        .contains("JDK_JAVA_OPTIONS=\"-XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI");
  }

  private static String firstGroup(Pattern pattern, String text) {
    Matcher matcher = pattern.matcher(text);
    assertThat(matcher.find()).as("%s in the file", pattern).isTrue();
    return matcher.group(1);
  }

  private static long chartRunAsUser(Path root) throws IOException {
    return Manifests.documents(Files.readString(root.resolve("charts/flowfleet-operator/values.yaml"))).getFirst()
        .path("podSecurityContext").path("runAsUser").asLong();
  }
}
