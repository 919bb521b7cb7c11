package io.flowfleet.core.store;

/** An immutable published version: canonical definition JSON, also stored in S3 under bundleKey. */
public record FlowVersionRecord(String id, String flowId, int version, String definitionJson, String bundleKey) {
}
