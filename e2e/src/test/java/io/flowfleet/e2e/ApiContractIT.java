package io.flowfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowfleet.core.flow.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static io.flowfleet.e2e.TestPlatform.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the API promises about errors and limits, through the real app and a worker: every error is
 * JSON {"error","message"} (Tomcat's own refusals included, sent over raw sockets), invalid UTF-8 is
 * refused, the documented JSON limits hold from the app to the worker, and concurrent publishes each
 * reply with their own version.
 */
class ApiContractIT {
    @TempDir
    static Path dir;
    static TestPlatform platform;
    static URI base;
    static String key;
    static String flowId;

    @BeforeAll
    static void start() throws Exception {
        platform = new TestPlatform(dir, Map.of("AP_MAX_WEBHOOK_PAYLOAD_SIZE_MB", "25"));
        platform.startApp(Map.of());
        platform.startWorker("worker-1", Map.of());
        platform.awaitReady();
        base = platform.app().baseUri();
        key = platform.services.apiKey();
        flowId = platform.publishFile("flows/seed-benchmark.json", "default");
    }

    @AfterAll
    static void stop() {
        if (platform != null) platform.close();
    }

    private static JsonNode jsonError(RawHttp.Response r, int status, String what) {
        assertThat(r.status()).as("%s -> %s", what, r).isEqualTo(status);
        assertThat(r.header("content-type")).as("%s -> %s", what, r).startsWith("application/json");
        JsonNode error;
        try {
            error = TestPlatform.JSON.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError(what + " is not JSON: " + r, e);
        }
        assertThat(error.path("error").isTextual()).as("%s -> %s", what, r).isTrue();
        assertThat(error.path("message").isTextual()).as("%s -> %s", what, r).isTrue();
        return error;
    }

    private static RawHttp.Response raw(String text) {
        return RawHttp.send(base, text.getBytes(StandardCharsets.ISO_8859_1));
    }

    @Test
    void tomcatsOwnRefusalsAreJson() {
        String host = "Host: 127.0.0.1\r\nConnection: close\r\n";
        jsonError(raw("GET /api/v1/flows HTTP/1.1 extra\r\n" + host + "\r\n"), 400, "request line with a fourth part");
        jsonError(raw("GET /api/v1/fl{ows HTTP/1.1\r\n" + host + "\r\n"), 400, "illegal character in the target");
        jsonError(raw("GET /api/v1/%zz HTTP/1.1\r\n" + host + "\r\n"), 400, "bad percent-encoding");
        jsonError(raw("GET /api/v1/webhooks/a%2Fb HTTP/1.1\r\n" + host + "\r\n"), 400, "encoded slash");
        jsonError(raw("GET /api/v1/flows HTTP/1.1\r\n" + host + "Bad Header Line\r\n\r\n"), 400, "header without a colon");
        jsonError(raw("GET /api/v1/flows HTTP/1.1\r\nConnection: close\r\n\r\n"), 400, "HTTP/1.1 without Host");
        jsonError(raw("GET /api/v1/flows HTTP/1.1\r\n" + host + "X-Big: " + "a".repeat(20_000) + "\r\n\r\n"), 400, "oversized header");
        // Methods outside GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH: the firewall refuses them.
        jsonError(raw("TRACE /api/v1/flows HTTP/1.1\r\n" + host + "\r\n"), 400, "TRACE");
        jsonError(raw("FOO /api/v1/webhooks/x HTTP/1.1\r\n" + host + "\r\n"), 400, "unknown method");
        jsonError(raw("GET /api/v1/flows HTTP/3.0\r\n" + host + "\r\n"), 505, "unknown HTTP version");
    }

    @Test
    void springsRefusalsAreJson() {
        Map<String, String> withKey = Map.of("X-API-Key", key);
        jsonError(RawHttp.request(base, "GET", "/api/v1/nothing-here", withKey, null), 404, "unmapped path");
        jsonError(RawHttp.request(base, "GET", "/error", withKey, null), 404, "the error page itself");
        jsonError(RawHttp.request(base, "PATCH", "/api/v1/flows/" + flowId, withKey, null), 405, "PATCH on a flow");
        jsonError(RawHttp.request(base, "DELETE", "/api/v1/flows", withKey, null), 405, "DELETE on the collection");
        jsonError(RawHttp.request(base, "GET", "/api/v1/webhooks/" + flowId, Map.of(), null), 405, "GET on a webhook");
        jsonError(RawHttp.request(base, "PUT", "/api/v1/webhooks/" + flowId + "/sync", Map.of(), new byte[0]), 405, "PUT on a webhook");
        jsonError(RawHttp.request(base, "POST", "/api/v1/flows", Map.of("X-API-Key", key, "Content-Type", "text/plain"),
                "{}".getBytes(StandardCharsets.UTF_8)), 415, "text/plain flow");
        jsonError(RawHttp.request(base, "POST", "/api/v1/flows", Map.of("X-API-Key", key, "Content-Type", "application/json"),
                new byte[0]), 400, "flow without a body");
        jsonError(RawHttp.request(base, "GET", "/api/v1/flows/" + flowId, Map.of("X-API-Key", key, "Accept", "text/html"), null),
                406, "flow as HTML");
        jsonError(RawHttp.request(base, "GET", "/api/v1/flows/x/..;/y", withKey, null), 400, "firewall");
        jsonError(RawHttp.request(base, "GET", "/api/v1/flows/x", Map.of(), null), 401, "no key");
        // The actuator answers an unknown health component or group with an empty 404 of its own.
        jsonError(RawHttp.request(base, "GET", "/actuator/health/nope", Map.of(), null), 404, "unknown health component");
        jsonError(RawHttp.request(base, "GET", "/actuator/health/liveness/x", Map.of(), null), 404, "unknown member of a health group");
        jsonError(RawHttp.request(base, "GET", "/actuator/health/nope", withKey, null), 404, "unknown health component, with the key");
    }

    static final List<byte[]> INVALID_UTF8 = List.of(
            new byte[] {(byte) 0xC3, 0x28},                         // 2-byte lead, bad continuation
            new byte[] {(byte) 0xC0, (byte) 0xAF},                  // overlong '/'
            new byte[] {(byte) 0xC1, (byte) 0xBF},                  // overlong
            new byte[] {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},     // overlong 3-byte '/'
            new byte[] {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0xAF}, // overlong 4-byte
            new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80},     // UTF-16 surrogate
            new byte[] {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
            new byte[] {(byte) 0xFF},
            new byte[] {(byte) 0x80},                               // stray continuation
            new byte[] {(byte) 0xE2, (byte) 0x82});                 // truncated (then the closing quote)

    static byte[] withString(String before, byte[] inside, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(inside);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    @Test
    void invalidUtf8IsRefusedNeverReplaced() throws Exception {
        long runsBefore = count("SELECT count(*) FROM runs");
        for (byte[] bad : INVALID_UTF8) {
            String what = "bytes " + java.util.HexFormat.of().formatHex(bad);
            for (String path : List.of("/api/v1/webhooks/" + flowId, "/api/v1/webhooks/" + flowId + "/sync")) {
                JsonNode e = jsonError(RawHttp.request(base, "POST", path, Map.of("Content-Type", "application/json"),
                        withString("{\"a\":\"", bad, "\"}")), 400, what + " to " + path);
                assertThat(e.get("message").asText()).contains("UTF-8");
            }
            JsonNode e = jsonError(RawHttp.request(base, "POST", "/api/v1/flows", Map.of("Content-Type", "application/json", "X-API-Key", key),
                    withString("{\"name\":\"", bad, "\",\"trigger\":{\"name\":\"trigger\",\"type\":\"webhook\"},\"steps\":[]}")), 400, what + " flow");
            assertThat(e.get("message").asText()).contains("UTF-8");
            jsonError(RawHttp.request(base, "PUT", "/api/v1/flows/" + flowId, Map.of("Content-Type", "application/json", "X-API-Key", key),
                    withString("{\"name\":\"", bad, "\",\"trigger\":{\"name\":\"trigger\",\"type\":\"webhook\"},\"steps\":[]}")), 400, what + " draft");
        }
        assertThat(count("SELECT count(*) FROM runs")).as("no refused call stored a run").isEqualTo(runsBefore);

        // Well-formed multi-byte text goes through untouched.
        String text = "é€𝄞ÿ";
        HttpResponse<String> ok = platform.webhook(flowId, false, "{\"a\":\"" + text + "\"}");
        assertThat(ok.statusCode()).isEqualTo(200);
        JsonNode run = platform.awaitRun(json(ok).get("runId").asText(), TestPlatform::terminal, Duration.ofSeconds(30));
        assertThat(run.get("payload").get("body").get("a").asText()).isEqualTo(text);
    }

    @Test
    void webhookHeadersAndQueriesWithTabsNewlinesAndUtf8StillGoThrough() throws Exception {
        byte[] request = ("POST /api/v1/webhooks/" + flowId + "?text=line1%0Aline2%09tab%C5%91 HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nConnection: close\r\nContent-Type: application/json\r\n"
                + "X-Note: a\tb\r\nContent-Length: 2\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] utf8Header = "X-Name: Erdős\r\n\r\n{}".getBytes(StandardCharsets.UTF_8); // 0x91 reads as a C1 control in Latin-1
        byte[] all = new byte[request.length + utf8Header.length];
        System.arraycopy(request, 0, all, 0, request.length);
        System.arraycopy(utf8Header, 0, all, request.length, utf8Header.length);
        RawHttp.Response r = RawHttp.send(base, all);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        JsonNode run = platform.awaitRun(TestPlatform.JSON.readTree(r.text()).get("runId").asText(), TestPlatform::terminal, Duration.ofSeconds(30));
        assertThat(run.get("payload").get("queryParams").get("text").asText()).isEqualTo("line1\nline2\ttabő");
        assertThat(run.get("payload").get("headers").get("x-note").asText()).isEqualTo("a\tb");
    }

    /**
     * JSON that Jackson reads but Postgres jsonb refuses (U+0000, unpaired UTF-16 surrogates, numbers beyond
     * numeric) or gives back in a form no reader accepts (an exponent written out to more than 1,000 digits).
     */
    static final List<String> UNSTORABLE_JSON = List.of(
            "{\"a\":\"\\u0000\"}",
            "{\"a\":\"x\\u0000y\"}",
            "{\"\\u0000\":1}",
            "[\"\\ud800\"]",
            "[\"\\udc00\\ud800\"]",
            "[\"a\\ud83d\"]",
            "[1e1000]",                 // jsonb writes it out in full: 1,001 digits, over the 1,000 a reader takes
            "[-1e1000]",
            "[1e-999]",                 // 0.000...1: 1,001 characters
            "[1.5e-998]",
            "[1e131072]",               // beyond Postgres numeric altogether
            "[0e-99999]",
            "[1e9999999999]");

    private static String flowReturning(String body) {
        return "{\"name\":\"store\",\"trigger\":{\"name\":\"trigger\",\"type\":\"webhook\"},\"steps\":[{\"name\":\"r\","
                + "\"type\":\"return_response\",\"settings\":{\"status\":200,\"headers\":{},\"body\":" + body
                + ",\"mode\":\"respond_and_stop\"}}]}";
    }

    /** Text the store cannot hold is a 400 naming it, never a 500 that quotes Postgres, and nothing is stored. */
    @Test
    void jsonThePostgresStoreCannotHoldIs400AndStoresNothing() throws Exception {
        long runsBefore = count("SELECT count(*) FROM runs");
        long flowsBefore = count("SELECT count(*) FROM flows");
        Map<String, String> json = Map.of("Content-Type", "application/json");
        Map<String, String> jsonWithKey = Map.of("Content-Type", "application/json", "X-API-Key", key);
        for (String body : UNSTORABLE_JSON) {
            for (String path : List.of("/api/v1/webhooks/" + flowId, "/api/v1/webhooks/" + flowId + "/sync")) {
                JsonNode e = jsonError(RawHttp.request(base, "POST", path, json, body.getBytes(StandardCharsets.UTF_8)), 400, body + " to " + path);
                assertThat(e.get("message").asText()).as(body).doesNotContain("ERROR:").doesNotContain("Detail");
            }
            byte[] flow = flowReturning(body).getBytes(StandardCharsets.UTF_8);
            JsonNode created = jsonError(RawHttp.request(base, "POST", "/api/v1/flows", jsonWithKey, flow), 400, body + " in a new flow");
            assertThat(created.get("message").asText()).as(body).doesNotContain("ERROR:");
            jsonError(RawHttp.request(base, "PUT", "/api/v1/flows/" + flowId, jsonWithKey, flow), 400, body + " in a draft");
        }
        for (String query : List.of("?a=%00", "?a=x%00y", "?a=1&b=%00")) {
            jsonError(RawHttp.request(base, "POST", "/api/v1/webhooks/" + flowId + query, json, "{}".getBytes(StandardCharsets.UTF_8)),
                    400, "query " + query);
        }
        assertThat(count("SELECT count(*) FROM runs")).as("no refused call stored a run").isEqualTo(runsBefore);
        assertThat(count("SELECT count(*) FROM flows")).as("no refused flow was stored").isEqualTo(flowsBefore);

        // What the store can hold still goes through: escaped pairs, huge and tiny numbers inside numeric's range.
        HttpResponse<String> ok = platform.webhook(flowId, false, "{\"a\":\"\\ud83d\\ude00\",\"big\":1e300,\"small\":-1.5e-300,\"edge\":1e999}");
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        JsonNode run = platform.awaitRun(json(ok).get("runId").asText(), TestPlatform::terminal, Duration.ofSeconds(30));
        assertThat(run.get("status").asText()).as("error: %s", run.get("error")).isEqualTo("SUCCEEDED");
        JsonNode payload = run.get("payload").get("body");
        assertThat(payload.get("a").asText()).isEqualTo("\uD83D\uDE00");
        assertThat(payload.get("edge").isNumber()).as("1e999 reads back from the store as a number: %s", payload).isTrue();
        assertThat(payload.get("small").isNumber()).as("%s", payload).isTrue();
        // Bodies of other content types are text decoded with replacement: a NUL byte becomes U+FFFD, not a 500.
        RawHttp.Response binary = RawHttp.request(base, "POST", "/api/v1/webhooks/" + flowId, Map.of("Content-Type", "application/octet-stream"),
                new byte[] {'a', 0, 'b', (byte) 0xFF});
        assertThat(binary.status()).as(binary.toString()).isEqualTo(200);
        JsonNode stored = platform.awaitRun(TestPlatform.JSON.readTree(binary.text()).get("runId").asText(), TestPlatform::terminal, Duration.ofSeconds(30));
        assertThat(stored.get("payload").get("body").asText()).isEqualTo("a\uFFFDb\uFFFD");
    }

    /**
     * A sync webhook's answer comes from the flow, and through templates from the anonymous caller: it
     * cannot frame the HTTP message (Transfer-Encoding beside Content-Length, Upgrade, a 1xx status, CR/LF
     * in a header, headers past Tomcat's buffer), which would let a proxy in front read the connection
     * another way; it is a 502 JSON instead of a 500 or a broken message.
     */
    @Test
    void aFlowsAnswerCannotChangeHowTheHttpMessageIsFramed() {
        String flow = "{\"name\":\"echo-answer\",\"trigger\":{\"name\":\"trigger\",\"type\":\"webhook\"},\"steps\":[{\"name\":\"r\","
                + "\"type\":\"return_response\",\"settings\":{\"status\":\"{{trigger.body.status}}\",\"headers\":{\"Transfer-Encoding\":\"chunked\","
                + "\"Connection\":\"keep-alive, Upgrade\",\"Upgrade\":\"h2c\",\"Content-Length\":\"5\",\"X-Echo\":\"{{trigger.body.header}}\"},"
                + "\"body\":{\"ok\":true},\"mode\":\"respond_and_stop\"}}]}";
        String path = "/api/v1/webhooks/" + platform.publish(flow, "default") + "/sync";
        Map<String, String> json = Map.of("Content-Type", "application/json");

        RawHttp.Response ok = RawHttp.request(base, "POST", path, json, "{\"status\":200,\"header\":\"x\"}".getBytes(StandardCharsets.UTF_8));
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ok.header("transfer-encoding")).as(ok.toString()).isNull();
        assertThat(ok.header("upgrade")).as(ok.toString()).isNull();
        assertThat(ok.header("content-length")).as(ok.toString()).isEqualTo(Integer.toString(ok.body().length));
        assertThat(ok.header("x-echo")).isEqualTo("x");
        assertThat(ok.text()).isEqualTo("{\"ok\":true}");

        for (String body : List.of("{\"status\":101,\"header\":\"x\"}", "{\"status\":100,\"header\":\"x\"}", "{\"status\":103,\"header\":\"x\"}",
                "{\"status\":200,\"header\":\"a\\r\\nX-Injected: 1\"}", "{\"status\":200,\"header\":\"a\\u0001\"}",
                "{\"status\":200,\"header\":\"\u0100\"}", "{\"status\":200,\"header\":\"" + "a".repeat(20_000) + "\"}")) {
            RawHttp.Response r = RawHttp.request(base, "POST", path, json, body.getBytes(StandardCharsets.UTF_8));
            String what = "answer of " + (body.length() > 80 ? body.substring(0, 80) + "..." : body);
            JsonNode e = jsonError(r, 502, what);
            assertThat(e.get("error").asText()).isEqualTo("INVALID_RESPONSE");
            assertThat(r.header("x-injected")).as(what).isNull();
            assertThat(r.header("upgrade")).as(what).isNull();
        }
    }

    static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    @Test
    void jsonDeeperThanTheLimitIs400AndTheLimitItselfRunsThrough() {
        for (String path : List.of("/api/v1/webhooks/" + flowId, "/api/v1/webhooks/" + flowId + "/sync")) {
            JsonNode e = jsonError(RawHttp.request(base, "POST", path, Map.of("Content-Type", "application/json"),
                    nested(Json.MAX_NESTING_DEPTH + 1).getBytes(StandardCharsets.UTF_8)), 400, "depth 1001 to " + path);
            assertThat(e.get("message").asText()).contains("deeper than 1000").doesNotContainIgnoringCase("jackson");
        }
        JsonNode e = jsonError(RawHttp.request(base, "POST", "/api/v1/flows", Map.of("Content-Type", "application/json", "X-API-Key", key),
                ("{\"name\":\"deep\",\"x\":" + nested(Json.MAX_NESTING_DEPTH) + "}").getBytes(StandardCharsets.UTF_8)), 400, "deep flow");
        assertThat(e.get("message").asText()).contains("deeper than 1000").doesNotContainIgnoringCase("jackson");

        HttpResponse<String> atLimit = platform.webhook(flowId, false, nested(Json.MAX_NESTING_DEPTH));
        assertThat(atLimit.statusCode()).as(atLimit.body()).isEqualTo(200);
        JsonNode run = platform.awaitRun(json(atLimit).get("runId").asText(), TestPlatform::terminal, Duration.ofSeconds(30));
        assertThat(run.get("status").asText()).as("error: %s", run.get("error")).isEqualTo("SUCCEEDED");
    }

    @Test
    void aBodyOfOneHugeStringUnderThePayloadLimitIsStoredAndRunsThrough() {
        int length = 24_000_000;
        HttpResponse<String> accepted = platform.webhook(flowId, false, "{\"s\":\"" + "x".repeat(length) + "\"}");
        assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
        String runId = json(accepted).get("runId").asText();
        JsonNode run = platform.awaitRun(runId, TestPlatform::terminal, Duration.ofSeconds(90));
        assertThat(run.get("status").asText()).as("error: %s", run.get("error")).isEqualTo("SUCCEEDED");
        assertThat(run.get("payload").get("body").get("s").isTextual()).isTrue();
        assertThat(run.get("payload").get("body").get("s").asText()).hasSize(length);
    }

    @Test
    void concurrentPublishesEachReplyWithTheirOwnVersion() throws Exception {
        String flow = platform.publishFile("flows/seed-benchmark.json", "default");
        int parallel = 16;
        Set<String> ids = new HashSet<>();
        Set<Integer> versions = new HashSet<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(parallel)) {
            for (int round = 0; round < 4; round++) {
                CountDownLatch go = new CountDownLatch(1);
                List<Future<HttpResponse<String>>> replies = new ArrayList<>();
                for (int i = 0; i < parallel; i++) {
                    replies.add(pool.submit(() -> {
                        go.await();
                        return platform.management("POST", "/api/v1/flows/" + flow + "/publish", null);
                    }));
                }
                go.countDown();
                for (Future<HttpResponse<String>> f : replies) {
                    HttpResponse<String> r = f.get();
                    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                    JsonNode reply = json(r);
                    String id = reply.get("publishedVersionId").asText();
                    int version = reply.get("publishedVersion").asInt();
                    assertThat(versionOf(id)).as("the version row of the id this reply names").isEqualTo(version);
                    assertThat(ids.add(id)).as("version id %s named by two replies", id).isTrue();
                    versions.add(version);
                }
            }
        }
        assertThat(versions).as("each publish names its own version").hasSize(4 * parallel);
    }

    private static int versionOf(String versionId) throws Exception {
        try (Connection c = platform.services.postgres().connect();
             PreparedStatement ps = c.prepareStatement("SELECT version FROM flow_versions WHERE id = ?")) {
            ps.setString(1, versionId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).as("version %s exists", versionId).isTrue();
                return rs.getInt(1);
            }
        }
    }

    static long count(String sql) throws Exception {
        try (Connection c = platform.services.postgres().connect(); PreparedStatement ps = c.prepareStatement(sql);
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
