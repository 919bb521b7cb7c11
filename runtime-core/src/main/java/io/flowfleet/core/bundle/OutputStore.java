package io.flowfleet.core.bundle;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;

/** Step outputs too large to keep inline in Postgres (over {@value #INLINE_LIMIT_BYTES} bytes of JSON) go to S3. */
public final class OutputStore {
    public static final int INLINE_LIMIT_BYTES = 32 * 1024;

    private final ObjectStore objects;

    public OutputStore(ObjectStore objects) {
        this.objects = objects;
    }

    public static boolean fitsInline(String json) {
        // Cheap bound first: UTF-8 takes at most 3 bytes per char.
        return json.length() * 3L <= INLINE_LIMIT_BYTES || json.getBytes(StandardCharsets.UTF_8).length <= INLINE_LIMIT_BYTES;
    }

    /** Stores a step's output; returns its key. Keyed by attempt so a retried run never overwrites. */
    public String write(UUID runId, int attempt, int position, String json) {
        String key = "runs/" + runId + "/" + attempt + "/steps/" + position + ".json";
        objects.putText(key, json, "application/json");
        return key;
    }

    public Optional<String> read(String key) {
        return objects.getText(key);
    }
}
