package io.flowfleet.operator.desired;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import java.util.List;
import java.util.Map;

/**
 * The hardened pod every Flowfleet role runs in: non-root, read-only root filesystem with an emptyDir on /tmp, no
 * privilege escalation, no capabilities, no service-account token (the runtime never calls the Kubernetes API),
 * probes on the runtime's health groups, spread over nodes.
 */
public final class PodTemplates {

  public static final String CONTAINER = "flowfleet";
  public static final String LIVENESS_PATH = "/actuator/health/liveness";
  public static final String READINESS_PATH = "/actuator/health/readiness";
  public static final long RUN_AS = 10001L;
  public static final String CONFIG_HASH_ANNOTATION = "flowfleet.io/runtime-config-hash";
  static final String TMP_VOLUME = "tmp";
  static final String TMP_SIZE = "1Gi";

  private PodTemplates() {}

  /** What differs between roles. */
  public record Role(Map<String, String> selector, Map<String, String> labels, Images image,
      ResourceRequirements resources, String configMap, List<EnvVar> env, String configHash,
      long terminationGracePeriodSeconds, SecretDigests secrets) {}

  public static PodTemplateSpec template(Role role) {
    return new PodTemplateSpecBuilder()
        .withNewMetadata()
        .withLabels(role.labels())
        .addToAnnotations(CONFIG_HASH_ANNOTATION, role.configHash())
        // only the Secrets this pod reads: rotating one rolls exactly the Deployments whose pods read it
        .addToAnnotations(SecretDigests.ANNOTATION, role.secrets().annotation(SecretDigests.referencedBy(role.env())))
        .endMetadata()
        .withNewSpec()
        .withAutomountServiceAccountToken(false)
        .withEnableServiceLinks(false)
        .withTerminationGracePeriodSeconds(role.terminationGracePeriodSeconds())
        .withNewSecurityContext()
        .withRunAsNonRoot(true)
        .withRunAsUser(RUN_AS)
        .withRunAsGroup(RUN_AS)
        .withFsGroup(RUN_AS)
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .endSecurityContext()
        .withContainers(container(role))
        .addNewVolume()
        .withName(TMP_VOLUME)
        .withNewEmptyDir().withSizeLimit(new Quantity(TMP_SIZE)).endEmptyDir()
        .endVolume()
        .withTopologySpreadConstraints(new TopologySpreadConstraintBuilder()
            .withMaxSkew(1)
            .withTopologyKey("kubernetes.io/hostname")
            .withWhenUnsatisfiable("ScheduleAnyway")
            .withLabelSelector(new LabelSelectorBuilder().withMatchLabels(role.selector()).build())
            .build())
        .endSpec()
        .build();
  }

  private static Container container(Role role) {
    return new ContainerBuilder()
        .withName(CONTAINER)
        .withImage(role.image().reference())
        .withImagePullPolicy(role.image().pullPolicy())
        .addNewPort().withName("http").withContainerPort(RuntimeConfig.HTTP_PORT).withProtocol("TCP").endPort()
        .addNewEnvFrom().withNewConfigMapRef().withName(role.configMap()).endConfigMapRef().endEnvFrom()
        .withEnv(role.env())
        .withResources(role.resources())
        .withNewSecurityContext()
        .withAllowPrivilegeEscalation(false)
        .withReadOnlyRootFilesystem(true)
        .withRunAsNonRoot(true)
        .withPrivileged(false)
        .withNewCapabilities().withDrop("ALL").endCapabilities()
        .endSecurityContext()
        // The JVM may take a while to start: liveness only applies once the startup probe passed.
        .withStartupProbe(probe(LIVENESS_PATH, 2, 60))
        .withLivenessProbe(probe(LIVENESS_PATH, 10, 3))
        .withReadinessProbe(probe(READINESS_PATH, 5, 2))
        .addNewVolumeMount().withName(TMP_VOLUME).withMountPath("/tmp").endVolumeMount()
        .build();
  }

  private static Probe probe(String path, int periodSeconds, int failureThreshold) {
    return new ProbeBuilder()
        .withNewHttpGet().withPath(path).withPort(new IntOrString("http")).endHttpGet()
        .withPeriodSeconds(periodSeconds)
        .withTimeoutSeconds(2)
        .withFailureThreshold(failureThreshold)
        .build();
  }
}
