package io.flowfleet.operator.validation;

/** Reasons of the Ready condition (CamelCase, after Kubernetes conventions) and of Warning events. */
public final class Reasons {

  /** Every desired pod is ready. */
  public static final String READY = "Ready";
  /** Applied; waiting for pods to become ready. */
  public static final String PROGRESSING = "Progressing";
  /** A required field is missing or out of range (the CRD rejects these; seen offline or with an old CRD). */
  public static final String INVALID_SPEC = "InvalidSpec";
  /** A store lives in another region than the platform. */
  public static final String REGION_MISMATCH = "RegionMismatch";
  /** A referenced Secret does not exist. */
  public static final String SECRET_NOT_FOUND = "SecretNotFound";
  /** A referenced Secret lacks a key the pods read. */
  public static final String SECRET_KEY_MISSING = "SecretKeyMissing";
  /** spec.execution.mode is neither SANDBOX_CODE_ONLY nor SANDBOX_PROCESS (UNSANDBOXED is not supported). */
  public static final String UNKNOWN_EXECUTION_MODE = "UnknownExecutionMode";
  /** A WorkerGroup asked for SANDBOX_CODE_ONLY: groups isolate tenants, so they need SANDBOX_PROCESS. */
  public static final String CODE_ONLY_MODE_IN_WORKER_GROUP = "CodeOnlyModeInWorkerGroup";
  /** A limit or concurrency outside the range the runtime accepts (the contract's min/max). */
  public static final String LIMIT_OUT_OF_RANGE = "LimitOutOfRange";
  /** User env (spec.app.env, spec.worker.env) sets a variable the operator owns. */
  public static final String RESERVED_ENV = "ReservedEnv";
  /** The WorkerGroup's spec.platformRef names no FlowPlatform in its namespace. */
  public static final String PLATFORM_NOT_FOUND = "PlatformNotFound";
  /** The WorkerGroup's FlowPlatform is itself invalid. */
  public static final String PLATFORM_INVALID = "PlatformInvalid";
  /** A WorkerGroup named "default" would share the platform's default queue. */
  public static final String QUEUE_NAME_RESERVED = "QueueNameReserved";
  /** A project is already routed to another WorkerGroup of the same platform. */
  public static final String PROJECT_CONFLICT = "ProjectConflict";
  /** A WorkerGroup's spec.platformRef differs from the platform its applied workers belong to. */
  public static final String PLATFORM_REF_CHANGED = "PlatformRefChanged";
  /** The API server refused a child (quota, admission webhook, RBAC); JOSDK retries with backoff. */
  public static final String APPLY_FAILED = "ApplyFailed";
  /** The resource carries the annotation flowfleet.io/paused: "true": nothing is applied until it is removed. */
  public static final String PAUSED = "Paused";
  /** Event reason: extra env held a dead variable, which was dropped. */
  public static final String DEAD_ENV_DROPPED = "DeadEnvVarDropped";

  private Reasons() {}
}
