package io.flowfleet.operator.render;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.flowfleet.operator.api.FlowPlatform;
import io.flowfleet.operator.api.WorkerGroup;
import io.flowfleet.operator.desired.ExtraEnv;
import io.flowfleet.operator.desired.PlatformManifests;
import io.flowfleet.operator.desired.SecretDigests;
import io.flowfleet.operator.validation.PlatformValidator;
import io.flowfleet.operator.validation.Problem;
import io.flowfleet.operator.validation.Reasons;
import io.flowfleet.operator.validation.SecretLookup;
import io.flowfleet.operator.validation.WorkerGroupValidator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code render -f FILE [-f FILE...]}: prints, as multi-document YAML, every manifest the operator would apply for
 * the FlowPlatforms and WorkerGroups in the files, built by the same pure builders. No cluster: Secrets are checked
 * only when the files contain them. Exit 0 rendered, 2 invalid input (each reason on stderr, nothing on stdout).
 */
public final class RenderCommand {

  public static final int OK = 0;
  public static final int INVALID = 2;
  static final String USAGE = "usage: flowfleet-operator render -f FILE [-f FILE...]   (FILE - reads stdin)\n"
      + "  prints every manifest the operator would apply for the FlowPlatform and WorkerGroup resources in FILEs\n"
      + "  (Secrets in the same files are used to check references; other Secrets cannot be checked offline)";

  private RenderCommand() {}

  public static int run(List<String> args, PrintStream out, PrintStream err) {
    return run(args, System.in, out, err);
  }

  public static int run(List<String> args, java.io.InputStream in, PrintStream out, PrintStream err) {
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      if ((arg.equals("-f") || arg.equals("--filename")) && i + 1 < args.size()) {
        files.add(Path.of(args.get(++i)));
      } else if (arg.startsWith("--filename=")) {
        files.add(Path.of(arg.substring("--filename=".length())));
      } else if (arg.equals("-h") || arg.equals("--help")) {
        out.println(USAGE);
        return OK;
      } else {
        err.println("render: unexpected argument '" + arg + "'\n" + USAGE);
        return INVALID;
      }
    }
    if (files.isEmpty()) {
      err.println("render: no file given\n" + USAGE);
      return INVALID;
    }
    RenderInput input;
    try {
      input = RenderInput.read(files, in);
    } catch (RenderInput.InvalidInputException e) {
      err.println("render: " + e.getMessage());
      return INVALID;
    } catch (IOException e) {
      err.println("render: cannot read input: " + e.getMessage());
      return INVALID;
    }
    if (input.platforms().isEmpty() && input.groups().isEmpty()) {
      err.println("render: no FlowPlatform or WorkerGroup (" + RenderInput.API_VERSION + ") in " + files);
      return INVALID;
    }
    return render(input, out, err);
  }

  static int render(RenderInput input, PrintStream out, PrintStream err) {
    Set<String> unchecked = new TreeSet<>();
    SecretLookup offline = offlineSecrets(input.secrets(), unchecked);
    Map<String, List<Problem>> problems = new LinkedHashMap<>();
    List<HasMetadata> manifests = new ArrayList<>();

    for (FlowPlatform platform : input.platforms()) {
      List<Problem> found = PlatformValidator.validate(platform, offline);
      if (!found.isEmpty()) {
        problems.put(describe(platform), found);
        continue;
      }
      List<WorkerGroup> groups = groupsOf(platform, input.groups());
      List<WorkerGroup> routed = groups.stream()
          .filter(g -> WorkerGroupValidator.validate(g, Optional.of(platform), groups, offline).isEmpty()).toList();
      manifests.addAll(PlatformManifests.platform(platform, routed, digests(input.secrets(), platform)));
      warn(err, platform, ExtraEnv.warnings(platform.getSpec()));
    }
    for (WorkerGroup group : input.groups()) {
      Optional<FlowPlatform> platform = platformOf(group, input.platforms());
      List<Problem> found = new ArrayList<>(WorkerGroupValidator.validate(group, platform,
          platform.map(p -> groupsOf(p, input.groups())).orElse(List.of()), offline));
      found.replaceAll(p -> p.reason().equals(Reasons.PLATFORM_NOT_FOUND)
          ? new Problem(p.reason(), p.message() + " (offline, only the given files are searched: add its file with -f)")
          : p);
      if (!found.isEmpty()) {
        problems.put(describe(group), found);
        continue;
      }
      manifests.addAll(PlatformManifests.workerGroup(group, platform.orElseThrow(), digests(input.secrets(), group)));
      var env = group.getSpec().getWorker() == null ? null : group.getSpec().getWorker().getEnv();
      warn(err, group, ExtraEnv.warnings("spec.worker.env", env));
    }

    if (!unchecked.isEmpty()) {
      err.println("note: Secret(s) " + String.join(", ", unchecked) + " not in the given files: existence and keys "
          + "not checked offline (the operator checks them in the cluster)");
    }
    if (!problems.isEmpty()) {
      problems.forEach((resource, list) -> list.forEach(p -> err.println(resource + ": " + p.reason() + ": " + p.message())));
      return INVALID;
    }
    KubernetesSerialization yaml = new KubernetesSerialization();
    for (HasMetadata manifest : manifests) {
      String document = yaml.asYaml(manifest);
      out.print(document.startsWith("---") ? document : "---\n" + document);
      if (!document.endsWith("\n")) {
        out.println();
      }
    }
    out.flush();
    return OK;
  }

  private static SecretLookup offlineSecrets(List<Secret> secrets, Set<String> unchecked) {
    return (namespace, name) -> secrets.stream()
        .filter(s -> name.equals(s.getMetadata().getName())
            && Objects.equals(namespace, s.getMetadata().getNamespace()))
        .findFirst()
        .map(s -> {
          Set<String> keys = new HashSet<>();
          if (s.getData() != null) {
            keys.addAll(s.getData().keySet());
          }
          if (s.getStringData() != null) {
            keys.addAll(s.getStringData().keySet());
          }
          return SecretLookup.Result.found(keys);
        })
        .orElseGet(() -> {
          unchecked.add(namespace == null ? name : namespace + "/" + name);
          return SecretLookup.Result.unknown();
        });
  }

  /** Digests of the given Secrets of the resource's namespace: render's secrets-hash matches the cluster's for them. */
  private static SecretDigests digests(List<Secret> secrets, HasMetadata resource) {
    return SecretDigests.of(secrets.stream()
        .filter(s -> Objects.equals(resource.getMetadata().getNamespace(), s.getMetadata().getNamespace()))
        .map(SecretDigests::digested).toList());
  }

  private static List<WorkerGroup> groupsOf(FlowPlatform platform, List<WorkerGroup> groups) {
    return groups.stream()
        .filter(g -> g.getSpec() != null && g.getSpec().getPlatformRef() != null
            && platform.getMetadata().getName().equals(g.getSpec().getPlatformRef().getName())
            && Objects.equals(platform.getMetadata().getNamespace(), g.getMetadata().getNamespace()))
        .sorted((a, b) -> a.getMetadata().getName().compareTo(b.getMetadata().getName()))
        .toList();
  }

  private static Optional<FlowPlatform> platformOf(WorkerGroup group, List<FlowPlatform> platforms) {
    if (group.getSpec() == null || group.getSpec().getPlatformRef() == null) {
      return Optional.empty();
    }
    return platforms.stream()
        .filter(p -> p.getMetadata().getName().equals(group.getSpec().getPlatformRef().getName())
            && Objects.equals(p.getMetadata().getNamespace(), group.getMetadata().getNamespace()))
        .findFirst();
  }

  private static void warn(PrintStream err, HasMetadata resource, List<String> warnings) {
    warnings.forEach(w -> err.println("warning: " + describe(resource) + ": " + w));
  }

  private static String describe(HasMetadata resource) {
    String ns = resource.getMetadata().getNamespace();
    return resource.getKind() + " " + (ns == null ? "" : ns + "/") + resource.getMetadata().getName();
  }
}
