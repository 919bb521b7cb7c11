package io.flowfleet.core.bundle;

import io.flowfleet.core.config.RuntimeConfig;
import io.flowfleet.local.LocalS3;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Bundles and large outputs on a real S3-compatible server (s3proxy). */
class BundleStoreTest {
    @TempDir
    static Path dir;
    static LocalS3 s3;
    static ObjectStore objects;

    @BeforeAll
    static void start() {
        s3 = LocalS3.start(dir.resolve("s3"), "bundles-test");
        objects = new ObjectStore(RuntimeConfig.from(Map.of(
                "AP_POSTGRES_URL", "jdbc:postgresql://unused/db", "AP_REDIS_URL", "redis://unused:6379",
                "AP_S3_BUCKET", "bundles-test", "AP_S3_ENDPOINT", s3.endpoint().toString(),
                "AP_S3_ACCESS_KEY_ID", s3.accessKeyId(), "AP_S3_SECRET_ACCESS_KEY", s3.secretAccessKey(),
                "AP_S3_REGION", s3.region())));
        objects.ensureBucket();
    }

    @AfterAll
    static void stop() {
        if (objects != null) objects.close();
        if (s3 != null) s3.close();
    }

    @Test
    void aPublishedBundleIsReadBackThroughASignedUrlAndDirectly() {
        BundleStore signed = new BundleStore(objects, true);
        BundleStore direct = new BundleStore(objects, false);
        String json = "{\"name\":\"sum\",\"steps\":[{\"name\":\"math\",\"note\":\"é ✓\"}]}";

        String key = signed.write("flow-1", "v-1", json);

        assertThat(key).isEqualTo("bundles/flow-1/v-1.json");
        assertThat(signed.read("flow-1", "v-1")).isEqualTo(json);
        assertThat(direct.read("flow-1", "v-1")).isEqualTo(json);
        assertThatThrownBy(() -> signed.read("flow-1", "v-missing")).hasMessageContaining("bundles/flow-1/v-missing.json is missing");
    }

    @Test
    void aSignedUrlWorksWithoutCredentialsAndATamperedOneIsRefused() throws Exception {
        objects.putText("bundles/x/y.json", "{}", "application/json");
        URI url = objects.presignedGet("bundles/x/y.json");
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> ok = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).isEqualTo("{}");

            URI tampered = URI.create(url.toString().replace("y.json", "z.json"));
            HttpResponse<String> refused = http.send(HttpRequest.newBuilder(tampered).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(403);
        }
    }

    @Test
    void outputsOverTheInlineLimitAreStoredInS3() {
        OutputStore outputs = new OutputStore(objects);
        String small = "{\"v\":\"" + "a".repeat(100) + "\"}";
        String large = "{\"v\":\"" + "a".repeat(OutputStore.INLINE_LIMIT_BYTES) + "\"}";
        assertThat(OutputStore.fitsInline(small)).isTrue();
        assertThat(OutputStore.fitsInline(large)).isFalse();
        assertThat(OutputStore.fitsInline("\"" + "é".repeat(OutputStore.INLINE_LIMIT_BYTES / 2) + "\"")).isFalse();

        UUID run = UUID.randomUUID();
        String key = outputs.write(run, 1, 2, large);

        assertThat(key).isEqualTo("runs/" + run + "/1/steps/2.json");
        assertThat(outputs.read(key)).contains(large);
    }
}
