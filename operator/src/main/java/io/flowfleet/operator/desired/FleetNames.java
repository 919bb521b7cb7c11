package io.flowfleet.operator.desired;

/** Names of the resources the operator creates, derived from the custom resources' names. */
public final class FleetNames {

  private FleetNames() {}

  public static String runtimeConfig(String platform) { return platform + "-runtime"; }
  public static String app(String platform) { return platform + "-app"; }
  public static String worker(String platform) { return platform + "-worker"; }
  public static String workerGroup(String platform, String group) { return platform + "-group-" + group; }
}
