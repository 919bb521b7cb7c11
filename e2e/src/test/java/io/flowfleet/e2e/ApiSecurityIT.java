package io.flowfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static io.flowfleet.e2e.TestPlatform.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The management API cannot be reached without the key, however its paths are spelled: every
 * endpoint of docs/architecture.md's API table, in every spelling below, through a raw socket (no
 * client normalizes anything), answers 4xx JSON and changes nothing; with the key the same
 * requests work or answer 4xx, never 5xx.
 */
class ApiSecurityIT {
    @TempDir
    static Path dir;
    static TestPlatform platform;
    static URI base;
    static String flowId;
    static String runId;

    record Endpoint(String method, String path, String body) {
    }

    @BeforeAll
    static void start() throws Exception {
        platform = new TestPlatform(dir, Map.of());
        platform.startApp(Map.of());
        platform.startWorker("worker-1", Map.of());
        platform.awaitReady();
        base = platform.app().baseUri();
        // Tomcat logs the first request it cannot parse at INFO, with the offending header line: make it
        // one that carries the key (theKeyIsExactlyOneHeaderWithExactlyTheKey checks the log).
        RawHttp.Response malformed = RawHttp.send(base, ("GET /api/v1/flows HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
                + "X-API-Key : " + platform.services.apiKey() + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        assertThat(malformed.status()).as("a malformed header line -> %s", malformed).isEqualTo(400);
        flowId = platform.publishFile("flows/seed-benchmark.json", "default");
        runId = json(platform.webhook(flowId, false, "{}")).get("runId").asText();
        platform.awaitRun(runId, TestPlatform::terminal, java.time.Duration.ofSeconds(30));
    }

    @AfterAll
    static void stop() {
        if (platform != null) platform.close();
    }

    static List<Endpoint> endpoints() {
        String flow = "{\"name\":\"probe\",\"trigger\":{\"name\":\"trigger\",\"type\":\"webhook\"},\"steps\":[]}";
        return List.of(
                new Endpoint("GET", "/api/v1/flows/" + flowId, null),
                new Endpoint("GET", "/api/v1/flows/" + flowId + "/runs", null),
                new Endpoint("GET", "/api/v1/runs/" + runId, null),
                new Endpoint("PUT", "/api/v1/flows/" + flowId, flow),
                new Endpoint("POST", "/api/v1/flows/" + flowId + "/publish", null),
                new Endpoint("POST", "/api/v1/flows/" + flowId + "/disable", null),
                new Endpoint("POST", "/api/v1/flows/" + flowId + "/enable", null),
                new Endpoint("POST", "/api/v1/flows?projectId=probe", flow),
                new Endpoint("DELETE", "/api/v1/flows/" + flowId, null));
    }

    /** The ways to write {@code path} (query kept at the end) that a server might route to the same handler. */
    static List<String> spellings(String pathAndQuery) {
        int q = pathAndQuery.indexOf('?');
        String path = q < 0 ? pathAndQuery : pathAndQuery.substring(0, q);
        String query = q < 0 ? "" : pathAndQuery.substring(q);
        List<String> segs = List.of(path.substring(1).split("/"));
        String afterApi = String.join("/", segs.subList(1, segs.size()));   // v1/flows/...
        String afterV1 = String.join("/", segs.subList(2, segs.size()));    // flows/...
        Set<String> out = new LinkedHashSet<>();
        out.add(path);
        out.add(path + "/");
        out.add(path + "/.");
        out.add(path + "/%2e");
        out.add(path + "%00");
        out.add(path + "%20");
        out.add(path + ";");
        out.add(path.toUpperCase(Locale.ROOT));
        out.add(path.replace("/", "%2f").replaceFirst("%2f", "/"));
        out.add(path.replace("/", "%2F").replaceFirst("%2F", "/"));
        out.add(path.replace("/", "\\"));
        out.add(path.replace("/", "%5c").replaceFirst("%5c", "/"));
        out.add(encodeAll(path, false));
        out.add(encodeAll(path, true));
        for (int i = 0; i < segs.size(); i++) {
            String s = segs.get(i);
            List<String> variants = new ArrayList<>();
            variants.add(hex(s.charAt(0), false) + s.substring(1));
            variants.add(hex(s.charAt(0), true) + s.substring(1));
            variants.add(encodeAll(s, false));
            variants.add(encodeAll(s, true));
            variants.add(s.toUpperCase(Locale.ROOT));
            variants.add(Character.toUpperCase(s.charAt(0)) + s.substring(1));
            variants.add(s + ";a=b");
            variants.add(s + ";jsessionid=x");
            variants.add(s + "%3ba=b");
            variants.add("%25" + HexFormat.of().toHexDigits((byte) s.charAt(0)) + s.substring(1)); // double encoding
            variants.add(fullwidth(s.charAt(0)) + s.substring(1));
            variants.add(overlong(s.charAt(0)) + s.substring(1));
            variants.add("%u00" + HexFormat.of().toHexDigits((byte) s.charAt(0)) + s.substring(1));
            variants.add(s + "%2f");
            variants.add("/" + s);            // double slash before it
            variants.add("./" + s);
            variants.add("%2e/" + s);
            variants.add("%2E/" + s);
            variants.add("x/../" + s);
            variants.add("x/%2e%2e/" + s);
            variants.add("x/%2E%2E/" + s);
            variants.add("x/.%2e/" + s);
            variants.add("x/..;/" + s);
            variants.add("x%2f..%2f" + s);
            for (String v : variants) {
                List<String> copy = new ArrayList<>(segs);
                copy.set(i, v);
                out.add("/" + String.join("/", copy));
            }
        }
        for (String prefix : List.of("/api/v1/webhooks/../", "/api/v1/webhooks/%2e%2e/", "/api/v1/webhooks/%2E%2E/",
                "/api/v1/webhooks/..%2f", "/api/v1/webhooks/;/../", "/api/v1/webhooks/..;/", "/api/v1/webhooks%2f..%2f",
                "/api/v1/webhooks/.%2e/", "/api/v1/webhooks/x/../../")) {
            out.add(prefix + (prefix.endsWith("x/../../") ? afterApi : afterV1));
        }
        out.add("/api/v1/webhooks/x/../../../api/" + afterApi);
        out.add("/api/v1/webhooks//../" + afterV1);
        for (String prefix : List.of("/actuator/health/../../", "/actuator/health/%2e%2e/%2e%2e/", "/actuator/health;/../../",
                "/actuator/prometheus/../", "/actuator/health/liveness/../../../", "/actuator/health/..;/..;/")) {
            out.add(prefix + (prefix.startsWith("/actuator/prometheus") ? "" : "") + String.join("/", segs));
        }
        out.add("http://" + base.getHost() + ":" + base.getPort() + path);   // absolute form
        List<String> withQuery = new ArrayList<>();
        for (String s : out) withQuery.add(s + query);
        return withQuery;
    }

    private static String hex(char c, boolean upper) {
        String h = HexFormat.of().toHexDigits((byte) c);
        return "%" + (upper ? h.toUpperCase(Locale.ROOT) : h);
    }

    private static String encodeAll(String s, boolean upper) {
        StringBuilder b = new StringBuilder();
        for (char c : s.toCharArray()) b.append(c == '/' ? "/" : hex(c, upper));
        return b.toString();
    }

    /** The fullwidth form of an ASCII letter or digit (U+FF01 + c - 0x21), percent-encoded UTF-8. */
    private static String fullwidth(char c) {
        String wide = new String(Character.toChars(0xFF01 + c - 0x21));
        StringBuilder b = new StringBuilder();
        for (byte x : wide.getBytes(StandardCharsets.UTF_8)) b.append('%').append(HexFormat.of().toHexDigits(x).toUpperCase(Locale.ROOT));
        return b.toString();
    }

    /** An overlong two-byte UTF-8 form of an ASCII character, percent-encoded. */
    private static String overlong(char c) {
        int b1 = 0xC0 | (c >> 6);
        int b2 = 0x80 | (c & 0x3F);
        return "%" + HexFormat.of().toHexDigits((byte) b1) + "%" + HexFormat.of().toHexDigits((byte) b2);
    }

    private static Map<String, String> headers(Endpoint e, String key) {
        Map<String, String> h = new LinkedHashMap<>();
        if (e.body() != null) h.put("Content-Type", "application/json");
        if (key != null) h.put("X-API-Key", key);
        return h;
    }

    private static RawHttp.Response send(String method, String target, Endpoint e, String key) {
        return RawHttp.request(base, method, target, headers(e, key), e.body() == null ? null : e.body().getBytes(StandardCharsets.UTF_8));
    }

    private static void assertJsonError(RawHttp.Response r, String request) {
        assertThat(r.header("content-type")).as("content type of %s -> %s", request, r).startsWith("application/json");
        JsonNode error = parse(r, request);
        assertThat(error.path("error").isTextual()).as("error code of %s -> %s", request, r).isTrue();
        assertThat(error.path("message").isTextual()).as("message of %s -> %s", request, r).isTrue();
    }

    private static JsonNode parse(RawHttp.Response r, String request) {
        try {
            return TestPlatform.JSON.readTree(r.body());
        } catch (Exception ex) {
            throw new AssertionError(request + " answered a body that is not JSON: " + r, ex);
        }
    }

    @Test
    void noSpellingOfAManagementEndpointGetsThroughWithoutTheKeyAndWithItTheyKeepWorking() throws Exception {
        String before = flowState();
        int sent = 0;
        List<String> gotThrough = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        List<Runnable> notJson = new ArrayList<>();
        for (Endpoint e : endpoints()) {
            List<String> targets = spellings(e.path());
            for (int i = 0; i < targets.size(); i++) {
                String target = targets.get(i);
                // Every spelling without a key; the first ones also with other methods and wrong keys.
                List<String> methods = i < 24 ? List.of(e.method(), "HEAD", "OPTIONS", e.method().toLowerCase(Locale.ROOT)) : List.of(e.method());
                String[] keys = i < 24 ? new String[] {null, "wrong", platform.services.apiKey() + "x", platform.services.apiKey().substring(1)}
                        : new String[] {null};
                for (String method : methods) {
                    for (String key : keys) {
                        String request = method + " " + target + (key == null ? " (no key)" : " (key " + key + ")");
                        RawHttp.Response r = send(method, target, e, key);
                        sent++;
                        if (r.status() < 400) gotThrough.add(request + " -> " + r.status() + " " + r.text());
                        else if (r.status() >= 500) failed.add(request + " -> " + r);
                        else if (!method.equals("HEAD")) notJson.add(() -> assertJsonError(r, request));
                    }
                }
            }
        }
        assertThat(gotThrough).as("requests without the key that were answered 2xx/3xx").isEmpty();
        assertThat(failed).as("requests without the key that failed with 5xx").isEmpty();
        notJson.forEach(Runnable::run);
        assertThat(sent).isGreaterThan(1_500);
        assertThat(flowState()).as("no request without the key changed the flow").isEqualTo(before);
        assertThat(count("SELECT count(*) FROM flows WHERE project_id = 'probe'")).as("flows created without the key").isZero();

        // With the key: the canonical request works, and no spelling makes the app fail.
        for (Endpoint e : endpoints()) {
            RawHttp.Response canonical = send(e.method(), e.path(), e, platform.services.apiKey());
            assertThat(canonical.status()).as("%s %s with the key -> %s", e.method(), e.path(), canonical).isBetween(200, 299);
            for (String target : spellings(e.path())) {
                RawHttp.Response r = send(e.method(), target, e, platform.services.apiKey());
                String request = e.method() + " " + target + " (with key)";
                assertThat(r.status()).as("%s -> %s", request, r).isLessThan(500);
                if (r.status() >= 400) assertJsonError(r, request);
            }
        }
    }

    @Test
    void theOpenEndpointsStayOpen() {
        for (String path : List.of("/actuator/health/liveness", "/actuator/health/readiness", "/actuator/health", "/actuator/prometheus")) {
            assertThat(RawHttp.request(base, "GET", path, Map.of(), null).status()).as(path).isEqualTo(200);
        }
        RawHttp.Response info = RawHttp.request(base, "GET", "/actuator/info", Map.of(), null);
        assertThat(info.status()).as("other actuator endpoints need the key").isEqualTo(401);
        RawHttp.Response unknown = RawHttp.request(base, "GET", "/no/such/path", Map.of(), null);
        assertThat(unknown.status()).as("deny by default").isEqualTo(401);
        assertThat(parse(unknown, "unknown").get("error").asText()).isEqualTo("UNAUTHORIZED");
        assertThat(parse(unknown, "unknown").get("message").asText()).contains("X-API-Key");
        RawHttp.Response wrong = RawHttp.request(base, "GET", "/api/v1/runs/" + runId, Map.of("X-API-Key", "nope"), null);
        assertThat(parse(wrong, "wrong key").get("message").asText()).contains("does not match");
        assertThat(wrong.header("set-cookie")).as("stateless: no session").isNull();
    }

    private static RawHttp.Response raw(String head) {
        return RawHttp.send(base, head.getBytes(StandardCharsets.ISO_8859_1));
    }

    /**
     * The key is one header with exactly the key's bytes: a second X-API-Key (whichever comes first),
     * a comma-joined list, another case, a folded line or the key in another header, cookie or query
     * parameter is refused. Whitespace around a header value is not part of it (RFC 9110 5.5), so a
     * padded key is the key.
     */
    @Test
    void theKeyIsExactlyOneHeaderWithExactlyTheKey() throws Exception {
        String key = platform.services.apiKey();
        String target = "GET /api/v1/runs/" + runId + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n";
        Map<String, String> refused = new LinkedHashMap<>();
        refused.put("right key, then a wrong one", "X-API-Key: " + key + "\r\nX-API-Key: wrong\r\n");
        refused.put("wrong key, then the right one", "X-API-Key: wrong\r\nX-API-Key: " + key + "\r\n");
        refused.put("the right key twice", "X-API-Key: " + key + "\r\nx-api-key: " + key + "\r\n");
        refused.put("comma-joined", "X-API-Key: wrong, " + key + "\r\n");
        refused.put("comma-joined, right first", "X-API-Key: " + key + ",wrong\r\n");
        refused.put("empty", "X-API-Key: \r\n");
        refused.put("upper case", "X-API-Key: " + key.toUpperCase(Locale.ROOT) + "\r\n");
        refused.put("folded", "X-API-Key: " + key.substring(0, 4) + "\r\n " + key.substring(4) + "\r\n");
        refused.put("space inside", "X-API-Key: " + key.substring(0, 4) + " " + key.substring(4) + "\r\n");
        refused.put("underscores", "X_API_Key: " + key + "\r\n");
        refused.put("bearer", "Authorization: Bearer " + key + "\r\n");
        refused.put("cookie", "Cookie: X-API-Key=" + key + "\r\n");
        for (Map.Entry<String, String> e : refused.entrySet()) {
            RawHttp.Response r = raw(target + e.getValue() + "\r\n");
            assertThat(r.status()).as("%s -> %s", e.getKey(), r).isEqualTo(401);
            assertJsonError(r, e.getKey());
            assertThat(r.text()).as("the key is never echoed").doesNotContain(key);
        }
        RawHttp.Response query = RawHttp.request(base, "GET", "/api/v1/runs/" + runId + "?X-API-Key=" + key, Map.of(), null);
        assertThat(query.status()).as("key as a query parameter -> %s", query).isEqualTo(401);
        for (String accepted : List.of("X-API-Key: " + key + "\r\n", "x-api-key: " + key + "\r\n", "X-API-KEY:   " + key + " \t\r\n")) {
            RawHttp.Response r = raw(target + accepted + "\r\n");
            assertThat(r.status()).as("%s -> %s", accepted.strip(), r).isEqualTo(200);
        }
        assertThat(Files.readString(platform.logs.resolve("app.log"))).as("the app's log never holds the key").doesNotContain(key);
    }

    /**
     * Other ways in, beyond path spellings: HTTP/1.0 without Host, absolute-form targets, method
     * overrides, protocol upgrades, a request smuggled behind a webhook body, actuator endpoints that
     * are not exposed (their spellings included). None reaches a management handler; every refusal is JSON.
     */
    @Test
    void otherWaysInDoNotGetThrough() {
        String flow = "/api/v1/flows/" + flowId;
        String host = "Host: 127.0.0.1\r\nConnection: close\r\n";
        List<String> requests = new ArrayList<>(List.of(
                "GET " + flow + " HTTP/1.0\r\n\r\n",
                "DELETE " + flow + " HTTP/1.0\r\n\r\n",
                "GET http://127.0.0.1:" + base.getPort() + flow + " HTTP/1.1\r\n" + host + "\r\n",
                "GET http://other.example" + flow + " HTTP/1.1\r\n" + host + "\r\n",
                "GET https://127.0.0.1:" + base.getPort() + "/api/v1/webhooks/../flows/" + flowId + " HTTP/1.1\r\n" + host + "\r\n",
                "POST " + flow + "?_method=DELETE HTTP/1.1\r\n" + host + "Content-Length: 0\r\n\r\n",
                "POST " + flow + " HTTP/1.1\r\n" + host + "X-HTTP-Method-Override: DELETE\r\nContent-Length: 0\r\n\r\n",
                "POST " + flow + " HTTP/1.1\r\n" + host + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 14\r\n\r\n_method=DELETE",
                "GET " + flow + " HTTP/1.1\r\n" + host.replace("close", "Upgrade, HTTP2-Settings, close")
                        + "Upgrade: h2c\r\nHTTP2-Settings: AAMAAABkAAQCAAAAAAIAAAAA\r\n\r\n",
                "GET " + flow + " HTTP/1.1\r\n" + host.replace("close", "Upgrade, close") + "Upgrade: websocket\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n",
                "OPTIONS " + flow + " HTTP/1.1\r\n" + host + "Origin: http://evil.example\r\nAccess-Control-Request-Method: DELETE\r\n\r\n",
                "GET /error HTTP/1.1\r\n" + host + "\r\n"));
        for (String endpoint : List.of("env", "heapdump", "beans", "loggers", "threaddump", "metrics", "configprops", "mappings", "info", "")) {
            String path = "/actuator" + (endpoint.isEmpty() ? "" : "/" + endpoint);
            for (String spelling : List.of(path, path + "/", path + ".json", "/actuator/health/../" + endpoint, "/actuator/health/..;/" + endpoint,
                    "/actuator/health/%2e%2e/" + endpoint, "/actuator/prometheus/../" + endpoint, "/ACTUATOR/" + endpoint, "/actuator//" + endpoint)) {
                requests.add("GET " + spelling + " HTTP/1.1\r\n" + host + "\r\n");
            }
        }
        List<String> gotThrough = new ArrayList<>();
        for (String request : requests) {
            RawHttp.Response r = raw(request);
            String line = request.substring(0, request.indexOf('\r'));
            if (r.status() < 400 || r.status() >= 500) gotThrough.add(line + " -> " + r);
            else assertJsonError(r, line);
        }
        // A management request smuggled in a webhook's body is that webhook's body, or a second request on its own.
        String smuggled = "GET " + flow + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
        RawHttp.Response first = raw("POST /api/v1/webhooks/" + flowId + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 2\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled);
        if (first.text().contains("\"draft\"")) gotThrough.add("smuggled behind a webhook -> " + first);
        assertThat(gotThrough).as("requests without the key answered outside 4xx").isEmpty();
    }

    /**
     * A client that sends its X-API-Key with every call, webhooks included, must not hand the platform's
     * key to a flow (tenant code, and whoever reads its runs); a flow's own x-api-key scheme still works.
     */
    @Test
    void theManagementKeyNeverReachesAFlow() throws Exception {
        String key = platform.services.apiKey();
        String flow = platform.publishFile("flows/seed-benchmark.json", "default"); // the battery above deletes flowId
        for (String own : List.of(key, "the-flows-own-key")) {
            java.net.http.HttpResponse<String> r = platform.call("POST", "/api/v1/webhooks/" + flow, "{}",
                    Map.of("Content-Type", "application/json", "X-API-Key", own));
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            JsonNode run = platform.awaitRun(json(r).get("runId").asText(), TestPlatform::terminal, java.time.Duration.ofSeconds(30));
            String seen = run.get("payload").get("headers").get("x-api-key").asText();
            if (own.equals(key)) assertThat(seen).isEqualTo("[redacted: the management API key]" /* WebhookPayload.REDACTED_KEY */);
            else assertThat(seen).isEqualTo(own);
            assertThat(run.toString()).doesNotContain(key);
        }
    }

    private static String flowState() throws Exception {
        try (Connection c = platform.services.postgres().connect();
             PreparedStatement ps = c.prepareStatement("SELECT status, name, draft::text, published_version_id, updated_at::text,"
                     + " (SELECT count(*) FROM flow_versions v WHERE v.flow_id = f.id) FROM flows f WHERE id = ?")) {
            ps.setString(1, flowId);
            try (ResultSet rs = ps.executeQuery()) {
                assertThat(rs.next()).isTrue();
                StringBuilder b = new StringBuilder();
                for (int i = 1; i <= 6; i++) b.append(rs.getString(i)).append('|');
                return b.toString();
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
