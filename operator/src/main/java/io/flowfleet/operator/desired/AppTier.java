package io.flowfleet.operator.desired;

import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.flowfleet.contract.RuntimeSettings;
import io.flowfleet.operator.api.FlowPlatform;
import io.flowfleet.operator.api.FlowPlatformSpec;
import io.flowfleet.operator.api.RoleSpec;
import io.flowfleet.operator.api.WorkerGroup;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The app tier of a platform (flows API, webhooks): Deployment, Service, PodDisruptionBudget. */
public final class AppTier {

  public static final int SERVICE_PORT = 80;

  private AppTier() {}

  public static Deployment deployment(FlowPlatform platform, Collection<WorkerGroup> groups) {
    return deployment(platform, groups, SecretDigests.none());
  }

  /** {@code secrets}: digests of the Secrets the pods read, for the rotation annotation. */
  public static Deployment deployment(FlowPlatform platform, Collection<WorkerGroup> groups, SecretDigests secrets) {
    FlowPlatformSpec spec = platform.getSpec();
    RoleSpec app = Objects.requireNonNullElseGet(spec.getApp(), RoleSpec::new);
    Images image = Images.resolve(app.getImage(), null, Images.APP_REPOSITORY);
    Map<String, String> selector = FleetLabels.selector(platform, FleetLabels.COMPONENT_APP);
    List<EnvVar> base = new ArrayList<>(StoreEnv.stores(spec));
    base.add(StoreEnv.apiKey(spec));
    Graces graces = Graces.of(RuntimeLimits.of(spec));
    base.add(ExtraEnv.plain(RuntimeSettings.SHUTDOWN_GRACE_SECONDS, String.valueOf(graces.appShutdownGraceSeconds())));
    var role = new PodTemplates.Role(selector, FleetLabels.full(selector, image.tag()), image,
        Objects.requireNonNullElseGet(app.getResources(), RoleResources::app),
        FleetNames.runtimeConfig(platform.getMetadata().getName()), ExtraEnv.merge(base, app.getEnv()),
        RuntimeConfig.hash(RuntimeConfig.data(platform, groups), true),
        // in-flight sync webhooks get their whole budget before the pod goes
        graces.appTerminationGraceSeconds(), secrets);
    return Deployments.build(platform, FleetNames.app(platform.getMetadata().getName()), role,
        Sizing.of(platform).apps(), new IntOrString(1));
  }

  public static Service service(FlowPlatform platform) {
    Map<String, String> selector = FleetLabels.selector(platform, FleetLabels.COMPONENT_APP);
    return new ServiceBuilder()
        .withNewMetadata()
        .withName(FleetNames.app(platform.getMetadata().getName()))
        .withNamespace(platform.getMetadata().getNamespace())
        .withLabels(FleetLabels.full(selector, null))
        .withOwnerReferences(Owners.controllerReferences(platform))
        .endMetadata()
        .withNewSpec()
        .withType("ClusterIP")
        .withSelector(selector)
        .addNewPort().withName("http").withPort(SERVICE_PORT).withTargetPort(new IntOrString("http"))
        .withProtocol("TCP").endPort()
        .endSpec()
        .build();
  }

  public static PodDisruptionBudget disruptionBudget(FlowPlatform platform) {
    return Deployments.disruptionBudget(platform, FleetNames.app(platform.getMetadata().getName()),
        FleetLabels.selector(platform, FleetLabels.COMPONENT_APP));
  }
}
