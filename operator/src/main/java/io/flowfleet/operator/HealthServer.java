package io.flowfleet.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.RuntimeInfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * Liveness and readiness for the operator pod (JDK HTTP server, no framework): {@code /healthz} answers 200 while
 * every informer is healthy (a watch that keeps failing, e.g. after RBAC was removed, makes it 503 so the kubelet
 * restarts the pod), {@code /readyz} 200 once the operator started. A standby replica (not holding the Lease) is
 * healthy and ready: its caches are warm and it takes over when the leader goes. {@code /metrics}: the operator's
 * metrics in Prometheus text format ({@link io.flowfleet.operator.metrics.OperatorMetrics}).
 */
public final class HealthServer implements AutoCloseable {

  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";

  private final HttpServer server;

  private HealthServer(HttpServer server) {
    this.server = server;
  }

  public static HealthServer start(int port, RuntimeInfo runtime) throws IOException {
    return start(port, runtime, null);
  }

  /** {@code metrics}: the Prometheus text served on {@code /metrics}; null serves none. */
  public static HealthServer start(int port, RuntimeInfo runtime, Supplier<String> metrics) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
    if (metrics != null) {
      server.createContext("/metrics", exchange -> respond(exchange, 200, metrics.get(), PROMETHEUS_TEXT));
    }
    server.createContext("/healthz", exchange -> {
      if (!runtime.isStarted()) {
        respond(exchange, 503, "starting");
      } else if (runtime.allEventSourcesAreHealthy()) {
        respond(exchange, 200, "ok");
      } else {
        respond(exchange, 503, "unhealthy event sources: " + runtime.unhealthyEventSources());
      }
    });
    server.createContext("/readyz", exchange -> {
      boolean ready = runtime.isStarted();
      respond(exchange, ready ? 200 : 503, ready ? "ok" : "starting");
    });
    server.setExecutor(Executors.newSingleThreadExecutor(r -> {
      Thread thread = new Thread(r, "health-server");
      thread.setDaemon(true);
      return thread;
    }));
    server.start();
    return new HealthServer(server);
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void respond(HttpExchange exchange, int status, String body) throws IOException {
    respond(exchange, status, body + "\n", "text/plain; charset=utf-8");
  }

  private static void respond(HttpExchange exchange, int status, String body, String contentType) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (var out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
