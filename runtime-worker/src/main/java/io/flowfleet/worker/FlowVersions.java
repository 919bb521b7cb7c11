package io.flowfleet.worker;

import io.flowfleet.core.bundle.BundleStore;
import io.flowfleet.core.config.RuntimeConfig;
import io.flowfleet.core.flow.FlowDefinition;
import io.flowfleet.core.flow.InvalidFlowException;
import org.springframework.stereotype.Component;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Compiled flow versions. Warm (AP_REUSE_SANDBOX=true): each published version is fetched from S3
 * and compiled once, then kept (versions are immutable, so the cache never goes stale; least
 * recently used ones leave past {@value #CAPACITY}). Cold (false): fetched and compiled every run.
 */
@Component
public class FlowVersions {
    static final int CAPACITY = 1_000;

    private final BundleStore bundles;
    private final boolean reuse;
    private final Map<String, FlowDefinition> compiled = Collections.synchronizedMap(
            new LinkedHashMap<>(64, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, FlowDefinition> eldest) {
                    return size() > CAPACITY;
                }
            });

    public FlowVersions(BundleStore bundles, RuntimeConfig config) {
        this.bundles = bundles;
        this.reuse = config.reuseSandbox();
    }

    /** @throws IllegalStateException when the bundle is missing or unreadable */
    public FlowDefinition get(String flowId, String versionId) {
        if (reuse) {
            FlowDefinition cached = compiled.get(versionId);
            if (cached != null) return cached;
        }
        FlowDefinition definition = load(flowId, versionId);
        if (reuse) compiled.put(versionId, definition);
        return definition;
    }

    boolean isWarm(String versionId) {
        return reuse && compiled.containsKey(versionId);
    }

    private FlowDefinition load(String flowId, String versionId) {
        String json = bundles.read(flowId, versionId);
        try {
            // The version id keys the compiled code: a published version never changes.
            return FlowDefinition.parse(json).withCacheKey(reuse ? versionId : null);
        } catch (InvalidFlowException e) {
            throw new IllegalStateException("bundle of flow " + flowId + " version " + versionId + " is invalid: " + e.getMessage(), e);
        }
    }
}
