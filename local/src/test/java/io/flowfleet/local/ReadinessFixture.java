package io.flowfleet.local;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Stand-in for an app or worker jar in {@link RuntimeProcessTest}: serves the readiness endpoint
 * on SERVER_ADDRESS:SERVER_PORT (as Spring Boot does) after FIXTURE_READY_AFTER_MS, echoes FIXTURE_ECHO at /echo, exits at once with
 * status 3 when FIXTURE_FAIL is set, and logs its graceful stop.
 */
public final class ReadinessFixture {

    private ReadinessFixture() {
    }

    public static void main(String[] args) throws IOException {
        if (System.getenv("FIXTURE_FAIL") != null) {
            System.out.println("boom: " + System.getenv("FIXTURE_FAIL"));
            System.exit(3);
        }
        long readyAt = System.currentTimeMillis() + Long.parseLong(System.getenv().getOrDefault("FIXTURE_READY_AFTER_MS", "0"));
        HttpServer server = HttpServer.create(new InetSocketAddress(System.getenv().getOrDefault("SERVER_ADDRESS", "0.0.0.0"), Integer.parseInt(System.getenv("SERVER_PORT"))), 0);
        server.createContext("/actuator/health/readiness", exchange -> {
            boolean ready = System.currentTimeMillis() >= readyAt;
            respond(exchange, ready ? 200 : 503, ready ? "{\"status\":\"UP\"}" : "{\"status\":\"OUT_OF_SERVICE\"}");
        });
        server.createContext("/echo", exchange -> respond(exchange, 200, System.getenv("FIXTURE_ECHO")));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("graceful stop");
            server.stop(0);
        }));
        server.start();
        System.out.println("listening");
    }

    private static void respond(com.sun.net.httpserver.HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
