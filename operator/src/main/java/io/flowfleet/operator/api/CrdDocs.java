package io.flowfleet.operator.api;

import java.util.Map;

/**
 * Descriptions of the schema nodes the Java types cannot annotate: the roots, spec and status of both kinds, and
 * the embedded Kubernetes types (EnvVar, ResourceRequirements, Condition), after the Kubernetes API reference.
 * Used by {@link CrdFinish}; {@code kubectl explain} prints them.
 */
final class CrdDocs {

  private CrdDocs() {}

  private static final Map<String, Map<String, String>> BY_KIND = Map.of(
      "FlowPlatform", Map.of(
          "", "A Flowfleet platform: the app and worker fleet that runs webhook-driven automation flows, sized "
              + "from its peak concurrent flows (workers = peak, apps = ceil(peak / 10)) and configured from its "
              + "stores' Secrets. The operator creates and owns its ConfigMap, Service, Deployments and "
              + "PodDisruptionBudgets; it never writes this resource's spec. The annotation flowfleet.io/paused: "
              + "\"true\" stops every change.",
          ".spec", "What the platform team declares: the peak, the region, the stores' Secrets, how flows "
              + "execute, limits and per-role settings. Everything else is derived.",
          ".status", "Observed state, written by the operator only: conditions Ready, Reconciling and Stalled "
              + "(with the generation they describe) and the fleet's counts.",
          ".status.warnings[*]", "One ignored input and why, e.g. a dead variable dropped from extra env."),
      "WorkerGroup", Map.of(
          "", "Dedicated worker capacity, on its own queue, for named tenants (projects) of one FlowPlatform in "
              + "the same namespace. The operator creates and owns its worker Deployment and PodDisruptionBudget; "
              + "the platform's apps route the listed projects to it. The annotation flowfleet.io/paused: \"true\" "
              + "stops every change.",
          ".spec", "The group's platform, its projects, its peak and its workers' settings (unset ones fall back "
              + "to the platform's).",
          ".status", "Observed state, written by the operator only: conditions Ready, Reconciling and Stalled "
              + "(with the generation they describe), worker counts and the queue.",
          ".spec.projects[*]", "A project id (tenant) routed to this group's queue; no ',' or '='.",
          ".status.warnings[*]", "One ignored input and why, e.g. a dead variable dropped from extra env."));

  /** core/v1 EnvVar, relative to one item of an env list. */
  private static final Map<String, String> ENV_VAR = Map.ofEntries(
      Map.entry("", "An environment variable of the role's containers (a Kubernetes EnvVar): a name and either a "
          + "literal value or valueFrom."),
      Map.entry(".name", "Name of the variable. An operator-set variable of the same name is overridden."),
      Map.entry(".value", "Literal value. $(VAR) references to variables defined before it are expanded; $$ "
          + "escapes a $. Empty by default."),
      Map.entry(".valueFrom", "Where the value comes from instead of value: a Secret or ConfigMap key, a field of "
          + "the pod, a container resource or an env file."),
      Map.entry(".valueFrom.configMapKeyRef", "A key of a ConfigMap in the pod's namespace."),
      Map.entry(".valueFrom.configMapKeyRef.key", "The key to read."),
      Map.entry(".valueFrom.configMapKeyRef.name", "Name of the ConfigMap."),
      Map.entry(".valueFrom.configMapKeyRef.optional", "Whether the ConfigMap or its key may be missing."),
      Map.entry(".valueFrom.secretKeyRef", "A key of a Secret in the pod's namespace. Rotating that Secret rolls "
          + "the pods that read it (annotation flowfleet.io/secrets-hash)."),
      Map.entry(".valueFrom.secretKeyRef.key", "The key to read."),
      Map.entry(".valueFrom.secretKeyRef.name", "Name of the Secret."),
      Map.entry(".valueFrom.secretKeyRef.optional", "Whether the Secret or its key may be missing."),
      Map.entry(".valueFrom.fieldRef", "A field of the pod: metadata.name, metadata.namespace, "
          + "metadata.labels['KEY'], metadata.annotations['KEY'], spec.nodeName, spec.serviceAccountName, "
          + "status.hostIP, status.podIP, status.podIPs."),
      Map.entry(".valueFrom.fieldRef.apiVersion", "API version the fieldPath is written in; default v1."),
      Map.entry(".valueFrom.fieldRef.fieldPath", "Path of the field to read, in that API version."),
      Map.entry(".valueFrom.fileKeyRef", "A variable of an env file in one of the pod's volumes (Kubernetes "
          + "EnvFiles feature)."),
      Map.entry(".valueFrom.fileKeyRef.key", "Name of the variable in the file."),
      Map.entry(".valueFrom.fileKeyRef.optional", "Whether the file or the variable may be missing."),
      Map.entry(".valueFrom.fileKeyRef.path", "Path of the env file inside the volume."),
      Map.entry(".valueFrom.fileKeyRef.volumeName", "Name of the volume holding the file."),
      Map.entry(".valueFrom.resourceFieldRef", "A resource of the container: limits.cpu, limits.memory, "
          + "limits.ephemeral-storage, requests.cpu, requests.memory, requests.ephemeral-storage."),
      Map.entry(".valueFrom.resourceFieldRef.containerName", "Container name; optional for environment variables."),
      Map.entry(".valueFrom.resourceFieldRef.divisor", "Unit the value is expressed in, a quantity (e.g. 1m, 1Mi); "
          + "default 1."),
      Map.entry(".valueFrom.resourceFieldRef.resource", "The resource to read, e.g. limits.memory."));

  /** core/v1 ResourceRequirements, relative to the resources field. */
  private static final Map<String, String> RESOURCES = Map.of(
      ".claims", "Names of the pod's resource claims (dynamic resource allocation) this container uses. Rarely "
          + "needed.",
      ".claims[*]", "One resource claim used by the container.",
      ".claims[*].name", "Name of an entry of the pod's spec.resourceClaims.",
      ".claims[*].request", "Name of one request of that claim; empty means all of it.",
      ".limits", "Most the container may use, per resource (cpu, memory, ephemeral-storage), as Kubernetes "
          + "quantities: 500m, 2, 1Gi, 512Mi. The API server refuses any other syntax (e.g. \"1 CPU\").",
      ".requests", "What the scheduler reserves for the container, per resource (cpu, memory, ephemeral-storage), "
          + "as Kubernetes quantities: 500m, 2, 1Gi, 512Mi. Defaults to limits for a resource only limited.");

  /** meta/v1 Condition, relative to one item of a conditions list. */
  private static final Map<String, String> CONDITION = Map.of(
      "", "One condition, after Kubernetes conventions: Ready, Reconciling or Stalled.",
      ".type", "Ready (every desired pod runs the current template and is ready), Reconciling (a rollout or "
          + "resize is in progress) or Stalled (nothing moves until the user changes something).",
      ".status", "True, False or Unknown.",
      ".reason", "Why, in CamelCase: Ready, Progressing, Paused, or a problem such as SecretNotFound, "
          + "RegionMismatch, InvalidSpec, ApplyFailed (docs/operator.md, Status).",
      ".message", "What happened and what to do, for people.",
      ".observedGeneration", "metadata.generation of the spec this condition was set for.",
      ".lastTransitionTime", "When status last changed (RFC 3339).");

  /** The description of the node at {@code path} (kubectl explain's spelling, [*] for items), or null. */
  static String describe(String kind, String path) {
    String own = BY_KIND.getOrDefault(kind, Map.of()).get(path);
    if (own != null) {
      return own;
    }
    String embedded = relative(path, ".env[*]", ENV_VAR);
    if (embedded == null) {
      embedded = relative(path, ".resources", RESOURCES);
    }
    if (embedded == null) {
      embedded = relative(path, ".conditions[*]", CONDITION);
    }
    return embedded;
  }

  private static String relative(String path, String anchor, Map<String, String> docs) {
    int at = path.lastIndexOf(anchor);
    return at < 0 ? null : docs.get(path.substring(at + anchor.length()));
  }
}
