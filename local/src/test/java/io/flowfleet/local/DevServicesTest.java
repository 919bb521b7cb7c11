package io.flowfleet.local;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.s3.presigner.model.PresignedGetObjectRequest;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The three servers answer real clients: JDBC, Lettuce, AWS SDK v2 and a presigned URL over plain HTTP. */
class DevServicesTest {

    private static DevServices services;

    @BeforeAll
    static void start() {
        services = DevServices.startTemporary();
    }

    @AfterAll
    static void stop() {
        services.close();
    }

    @Test
    void postgresAnswersJdbcWithDefaultDurability() throws Exception {
        try (Connection connection = services.postgres().connect();
             Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("select 1, current_database(), current_setting('synchronous_commit'), current_setting('fsync')")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(1);
                assertThat(rows.getString(2)).isEqualTo(LocalPostgres.DATABASE);
                assertThat(rows.getString(3)).isEqualTo("on");
                assertThat(rows.getString(4)).isEqualTo("on");
            }
            statement.execute("create table probe (id int primary key, note text)");
            statement.execute("insert into probe values (1, 'stored')");
            try (ResultSet rows = statement.executeQuery("select note from probe where id = 1")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getString(1)).isEqualTo("stored");
            }
        }
        assertThat(services.postgres().pid()).isPresent();
    }

    @Test
    void redisAnswersLettuce() {
        RedisClient client = RedisClient.create(services.redis().uri());
        try (StatefulRedisConnection<String, String> connection = client.connect()) {
            assertThat(connection.sync().ping()).isEqualTo("PONG");
            connection.sync().set("probe", "value");
            assertThat(connection.sync().get("probe")).isEqualTo("value");
        } finally {
            client.shutdown();
        }
        assertThat(services.redis().pid()).isPresent();
    }

    @Test
    void s3StoresObjectsAndServesPresignedUrls() throws Exception {
        String bucket = services.s3().bucket();
        try (S3Client s3 = services.s3().newClient(); S3Presigner presigner = services.s3().newPresigner()) {
            s3.putObject(request -> request.bucket(bucket).key("bundles/probe.json"), RequestBody.fromString("{\"a\":1}"));
            assertThat(s3.getObjectAsBytes(request -> request.bucket(bucket).key("bundles/probe.json")).asUtf8String())
                    .isEqualTo("{\"a\":1}");

            PresignedGetObjectRequest presigned = presigner.presignGetObject(request -> request
                    .signatureDuration(Duration.ofMinutes(5))
                    .getObjectRequest(get -> get.bucket(bucket).key("bundles/probe.json")));
            HttpResponse<String> viaUrl;
            try (HttpClient http = HttpClient.newHttpClient()) {
                viaUrl = http.send(HttpRequest.newBuilder(presigned.url().toURI()).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
            }
            assertThat(viaUrl.statusCode()).isEqualTo(200);
            assertThat(viaUrl.body()).isEqualTo("{\"a\":1}");

            // The URL without its signature is refused: the server really checks credentials.
            String unsigned = presigned.url().toString().replaceAll("\\?.*$", "");
            try (HttpClient http = HttpClient.newHttpClient()) {
                int status = http.send(HttpRequest.newBuilder(java.net.URI.create(unsigned)).GET().build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode();
                assertThat(status).isEqualTo(403);
            }
        }
    }

    @Test
    void everyServerListensOnLoopbackOnly() throws Exception {
        for (int port : new int[] {services.postgres().port(), services.redis().port(), services.s3().port()}) {
            assertThat(RuntimeProcessTest.listensOnlyOnLoopback(port)).as("port %d", port).isTrue();
        }
    }

    @Test
    void aTemporaryDataDirectoryGetsItsOwnRandomApiKey() {
        assertThat(services.apiKey()).matches("[A-Za-z0-9_-]{43}").isNotEqualTo("flowfleet-local-api-key");
        assertThat(services.dataDirectory().resolve("api-key")).content().isEqualToIgnoringNewLines(services.apiKey());
    }

    @Test
    void runtimeEnvNamesEveryServer() {
        Map<String, String> env = services.runtimeEnv();
        assertThat(env).containsEntry("AP_POSTGRES_URL",
                        "jdbc:postgresql://127.0.0.1:" + services.postgres().port() + "/flowfleet")
                .containsEntry("AP_POSTGRES_USERNAME", "postgres")
                .containsEntry("AP_POSTGRES_PASSWORD", "postgres")
                .containsEntry("AP_REDIS_URL", "redis://127.0.0.1:" + services.redis().port())
                .containsEntry("AP_S3_BUCKET", "flowfleet")
                .containsEntry("AP_S3_ENDPOINT", "http://127.0.0.1:" + services.s3().port())
                .containsEntry("AP_S3_ACCESS_KEY_ID", LocalS3.ACCESS_KEY_ID)
                .containsEntry("AP_S3_SECRET_ACCESS_KEY", LocalS3.SECRET_ACCESS_KEY)
                .containsEntry("AP_S3_REGION", "us-east-1")
                .containsEntry("AP_API_KEY", services.apiKey())
                .containsEntry("AP_S3_USE_SIGNED_URLS", "true");
    }
}
