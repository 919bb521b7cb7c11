package io.flowfleet.core.bundle;

/**
 * Published flow bundles in S3: the canonical JSON of an immutable flow version, written by the app
 * on publish and fetched by a cold worker (through a presigned URL when signed URLs are on).
 */
public final class BundleStore {
    private final ObjectStore objects;
    private final boolean signedUrls;

    public BundleStore(ObjectStore objects, boolean signedUrls) {
        this.objects = objects;
        this.signedUrls = signedUrls;
    }

    public static String keyOf(String flowId, String versionId) {
        return "bundles/" + flowId + "/" + versionId + ".json";
    }

    /** Writes the bundle and returns its key. */
    public String write(String flowId, String versionId, String canonicalJson) {
        String key = keyOf(flowId, versionId);
        objects.putText(key, canonicalJson, "application/json");
        return key;
    }

    /** Reads a bundle; a missing one is an error (the version row says it was written). */
    public String read(String flowId, String versionId) {
        String key = keyOf(flowId, versionId);
        return (signedUrls ? objects.getTextSigned(key) : objects.getText(key))
                .orElseThrow(() -> new IllegalStateException("bundle " + key + " is missing from bucket " + objects.bucket()));
    }
}
