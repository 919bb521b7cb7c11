package io.flowfleet.core.bundle;

import io.flowfleet.core.config.RuntimeConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * The S3 (or S3-compatible) bucket of a platform: put, get, and get through a presigned URL.
 * Path-style addressing when an endpoint is set (s3proxy, MinIO), virtual-host style on AWS.
 */
public final class ObjectStore implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectStore.class);
    private static final Duration SIGNED_URL_LIFETIME = Duration.ofMinutes(5);

    private final String bucket;
    private final S3Client s3;
    private final S3Presigner presigner;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public ObjectStore(RuntimeConfig config) {
        this.bucket = config.s3Bucket();
        AwsCredentialsProvider credentials = config.s3AccessKeyId() == null
                ? DefaultCredentialsProvider.builder().build()
                : StaticCredentialsProvider.create(AwsBasicCredentials.create(config.s3AccessKeyId(), config.s3SecretAccessKey()));
        S3Configuration s3Config = S3Configuration.builder()
                .pathStyleAccessEnabled(config.s3Endpoint() != null)
                .chunkedEncodingEnabled(false)
                .build();
        Region region = Region.of(config.s3Region());
        var clientBuilder = S3Client.builder().region(region).credentialsProvider(credentials).serviceConfiguration(s3Config);
        var presignerBuilder = S3Presigner.builder().region(region).credentialsProvider(credentials).serviceConfiguration(s3Config);
        if (config.s3Endpoint() != null) {
            clientBuilder.endpointOverride(config.s3Endpoint());
            presignerBuilder.endpointOverride(config.s3Endpoint());
        }
        this.s3 = clientBuilder.build();
        this.presigner = presignerBuilder.build();
    }

    public String bucket() {
        return bucket;
    }

    /**
     * Creates the bucket when it does not exist (local and test platforms). A provisioned bucket the
     * credentials may not inspect (403) is left alone: problems then show on the first write.
     */
    public void ensureBucket() {
        try {
            s3.headBucket(b -> b.bucket(bucket));
        } catch (NoSuchBucketException e) {
            s3.createBucket(b -> b.bucket(bucket));
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                s3.createBucket(b -> b.bucket(bucket));
            } else {
                LOG.warn("cannot check bucket {} ({} {}); assuming it exists", bucket, e.statusCode(), e.getMessage());
            }
        }
    }

    public void putText(String key, String text, String contentType) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType),
                RequestBody.fromBytes(text.getBytes(StandardCharsets.UTF_8)));
    }

    public Optional<String> getText(String key) {
        try {
            return Optional.of(s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    /** A GET URL anyone holding it can use for a few minutes, without credentials. */
    public URI presignedGet(String key) {
        GetObjectRequest get = GetObjectRequest.builder().bucket(bucket).key(key).build();
        return URI.create(presigner.presignGetObject(p -> p.signatureDuration(SIGNED_URL_LIFETIME).getObjectRequest(get)).url().toString());
    }

    /** Fetches an object through its presigned URL (plain HTTPS GET, no SDK call). */
    public Optional<String> getTextSigned(String key) {
        URI url = presignedGet(key);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30)).GET().build(),
                    HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            if (response.statusCode() == 404) return Optional.empty();
            if (response.statusCode() != 200) {
                throw new IllegalStateException("GET " + key + " through a signed URL answered " + response.statusCode() + ": " + response.body());
            }
            return Optional.of(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + key + " through a signed URL failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while fetching " + key, e);
        }
    }

    @Override
    public void close() {
        s3.close();
        presigner.close();
        http.close();
    }
}
