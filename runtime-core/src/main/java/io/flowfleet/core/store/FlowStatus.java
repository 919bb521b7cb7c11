package io.flowfleet.core.store;

/** A flow's lifecycle: a draft until first published, then enabled or disabled, finally deleted (kept as a tombstone). */
public enum FlowStatus { DRAFT, ENABLED, DISABLED, DELETED }
