package io.flowfleet.operator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.javaoperatorsdk.operator.RuntimeInfo;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * Liveness and readiness for the operator pod (JDK HTTP server, no framework): {@code /healthz} answers 200 while
 * every informer is healthy (a watch that keeps failing, e.g. after RBAC was removed, makes it 503 so the kubelet
 * restarts the pod), {@code /readyz} 200 once the operator started. A standby replica (not holding the Lease) is
 * healthy and ready: its caches are warm and it takes over when the leader goes.
 */
public final class HealthServer implements AutoCloseable {

  private final HttpServer server;

  private HealthServer(HttpServer server) {
    this.server = server;
  }

  public static HealthServer start(int port, RuntimeInfo runtime) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(port), 0);
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
    byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
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
