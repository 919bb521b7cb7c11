package io.flowfleet.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowfleet.local.DevServices;
import io.flowfleet.local.RuntimeProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One platform per end-to-end test class: real Postgres, Redis and s3proxy (DevServices), the app
 * jar and worker jars as child processes, and an HTTP client for the API.
 */
final class TestPlatform implements AutoCloseable {
    /** The runtime's mapper: its limits (deep or huge documents) are the ones under test. */
    static final ObjectMapper JSON = io.flowfleet.core.flow.Json.MAPPER;
    private static final List<String> JVM = List.of("-XX:+UseSerialGC", "-Xmx384m", "-XX:TieredStopAtLevel=1", "-Xss1m");
    private static final Duration READY = Duration.ofSeconds(120);

    final DevServices services;
    final Path logs;
    private final Map<String, String> env;
    private final List<RuntimeProcess> processes = new ArrayList<>();
    private final Map<String, RuntimeProcess> workers = new HashMap<>();
    private RuntimeProcess app;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    TestPlatform(Path dir, Map<String, String> extraEnv) throws IOException {
        this.logs = Files.createDirectories(dir.resolve("logs"));
        this.services = DevServices.start(dir.resolve("services"));
        this.env = new HashMap<>(services.runtimeEnv());
        env.putAll(extraEnv);
    }

    static Path jar(String property) {
        Path jar = Path.of(System.getProperty(property, "missing-" + property));
        if (!Files.isRegularFile(jar)) throw new IllegalStateException(jar + " is not built: run the package phase first (" + property + ")");
        return jar;
    }

    static Path example(String name) {
        return Path.of(System.getProperty("flowfleet.examples", "../examples")).resolve(name);
    }

    TestPlatform startApp(Map<String, String> appEnv) {
        Map<String, String> e = new HashMap<>(env);
        e.putAll(appEnv);
        app = RuntimeProcess.builder(jar("flowfleet.app.jar")).name("app").env(e).jvmArgs(JVM)
                .logFile(logs.resolve("app.log")).start();
        processes.add(app);
        return this;
    }

    /** Starts a worker (not awaited: see {@link #awaitReady()}). */
    RuntimeProcess startWorker(String id, Map<String, String> workerEnv) {
        Map<String, String> e = new HashMap<>(env);
        e.put("AP_WORKER_ID", id);
        e.putAll(workerEnv);
        RuntimeProcess worker = RuntimeProcess.builder(jar("flowfleet.worker.jar")).name(id).env(e).jvmArgs(JVM)
                .logFile(logs.resolve(id + ".log")).start();
        processes.add(worker);
        workers.put(id, worker);
        return worker;
    }

    /** Waits for every started process; they boot in parallel. */
    TestPlatform awaitReady() {
        for (RuntimeProcess p : processes) p.awaitReady(READY);
        return this;
    }

    RuntimeProcess worker(String id) {
        RuntimeProcess worker = workers.get(id);
        if (worker == null) throw new IllegalArgumentException("no worker " + id + " in " + workers.keySet());
        return worker;
    }

    /** A live worker whose id starts with one of {@code prefixes}. */
    RuntimeProcess aliveWorker(String... prefixes) {
        return workers.entrySet().stream()
                .filter(e -> e.getValue().isAlive() && java.util.Arrays.stream(prefixes).anyMatch(e.getKey()::startsWith))
                .map(Map.Entry::getValue).findFirst()
                .orElseThrow(() -> new IllegalStateException("no live worker named " + String.join("|", prefixes) + "*"));
    }

    RuntimeProcess app() {
        return app;
    }

    // ---- API ----

    HttpResponse<String> call(String method, String path, String body, Map<String, String> headers) {
        HttpRequest.Builder request = HttpRequest.newBuilder(app.baseUri().resolve(path)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(request::header);
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path + " failed: " + e.getMessage() + "\napp log:\n" + app.logTail(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<String> management(String method, String path, String body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-API-Key", services.apiKey());
        if (body != null) headers.put("Content-Type", "application/json");
        return call(method, path, body, headers);
    }

    HttpResponse<String> webhook(String flowId, boolean sync, String body) {
        return call("POST", "/api/v1/webhooks/" + flowId + (sync ? "/sync" : ""), body, Map.of("Content-Type", "application/json"));
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("not JSON (" + response.statusCode() + "): " + response.body(), e);
        }
    }

    private JsonNode expect(HttpResponse<String> response, int status) {
        if (response.statusCode() != status) {
            throw new AssertionError("expected " + status + " but got " + response.statusCode() + ": " + response.body());
        }
        return json(response);
    }

    /** Creates and publishes a flow; returns its id. */
    String publish(String definition, String projectId) {
        JsonNode created = expect(management("POST", "/api/v1/flows?projectId=" + projectId, definition), 201);
        String id = created.get("id").asText();
        expect(management("POST", "/api/v1/flows/" + id + "/publish", null), 200);
        return id;
    }

    String publishFile(String exampleFlow, String projectId) throws IOException {
        return publish(Files.readString(example(exampleFlow)), projectId);
    }

    JsonNode run(String runId) {
        return expect(management("GET", "/api/v1/runs/" + runId, null), 200);
    }

    JsonNode runs(String flowId) {
        return expect(management("GET", "/api/v1/flows/" + flowId + "/runs", null), 200).get("runs");
    }

    /** Polls the run until {@code condition} holds (fails with the run and the logs after {@code timeout}). */
    JsonNode awaitRun(String runId, Predicate<JsonNode> condition, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode run = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = management("GET", "/api/v1/runs/" + runId, null);
            if (r.statusCode() == 200) {
                run = json(r);
                if (condition.test(run)) return run;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        StringBuilder logsTail = new StringBuilder();
        for (RuntimeProcess p : processes) logsTail.append("\n--- ").append(p.name()).append(" ---\n").append(p.logTail());
        throw new AssertionError("run " + runId + " did not reach the expected state within " + timeout + "; last: " + run + logsTail);
    }

    static boolean terminal(JsonNode run) {
        String s = run.path("status").asText();
        return !s.equals("QUEUED") && !s.equals("RUNNING");
    }

    @Override
    public void close() {
        for (RuntimeProcess p : processes.reversed()) {
            try {
                p.close();
            } catch (RuntimeException ignored) {
                // keep stopping the others
            }
        }
        services.close();
    }
}
