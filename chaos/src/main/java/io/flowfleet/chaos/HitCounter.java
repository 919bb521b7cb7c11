package io.flowfleet.chaos;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.flowfleet.chaos.ChaosRecords.Hit;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;

/**
 * The side-effect counter: a loopback HTTP server (the JDK's) that the suite's flows call from
 * their {@code http_request} steps at {@code /hit/<step>?key=<run marker>}. Every request is one
 * executed side effect, recorded with its time and {@code Idempotency-Key} header (if sent).
 */
final class HitCounter implements AutoCloseable {

    private final HttpServer server;
    private final ConcurrentLinkedQueue<Hit> hits = new ConcurrentLinkedQueue<>();

    private HitCounter(HttpServer server) {
        this.server = server;
    }

    static HitCounter start() {
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 200);
            HitCounter counter = new HitCounter(server);
            server.createContext("/hit/", counter::handle);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.start();
            return counter;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot start the hit counter", e);
        }
    }

    /** {@code http://127.0.0.1:PORT/hit/} */
    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/hit/";
    }

    List<Hit> hits() {
        return List.copyOf(hits);
    }

    private void handle(HttpExchange exchange) throws IOException {
        Instant at = Instant.now();
        exchange.getRequestBody().readAllBytes();
        String step = exchange.getRequestURI().getPath().substring("/hit/".length());
        String key = queryParameter(exchange.getRequestURI().getRawQuery(), "key");
        hits.add(new Hit(key == null ? "" : key, step, exchange.getRequestHeaders().getFirst("Idempotency-Key"), at));
        byte[] body = "{\"ok\":true}".getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("content-type", "application/json");
        exchange.sendResponseHeaders(200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    static String queryParameter(String rawQuery, String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int equals = pair.indexOf('=');
            String key = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            if (key.equals(name)) {
                return equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
