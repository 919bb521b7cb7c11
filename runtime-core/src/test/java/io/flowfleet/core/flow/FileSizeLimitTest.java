package io.flowfleet.core.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** AP_MAX_FILE_SIZE_MB bounds what a step receives (an http_request response body) and what it produces (its output). */
class FileSizeLimitTest {
    private static final int MB = 1024 * 1024;
    private static FlowEngine engine;
    private static HttpServer server;
    private static String baseUrl;

    @BeforeAll
    static void start() throws IOException {
        engine = FlowEngine.builder().maxFileSizeBytes(MB).build();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/big", exchange -> send(exchange, 2 * MB, false));
        server.createContext("/big-chunked", exchange -> send(exchange, 2 * MB, true));
        server.createContext("/small", exchange -> send(exchange, MB / 2, false));
        server.start();
        baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void send(com.sun.net.httpserver.HttpExchange exchange, int size, boolean chunked) throws IOException {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) 'x');
        exchange.getResponseHeaders().add("Content-Type", "text/plain");
        exchange.sendResponseHeaders(200, chunked ? 0 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        } catch (IOException e) {
            // the client stopped reading at the limit
        }
        exchange.close();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        engine.close();
    }

    private static FlowRun run(String stepsJson) throws Exception {
        FlowDefinition def = FlowDefinition.parse("{\"name\":\"t\",\"trigger\":{\"name\":\"trigger\",\"type\":\"webhook\"},\"steps\":"
                + stepsJson + "}");
        return engine.run(def, TriggerPayload.ofBody(Json.MAPPER.readTree("{}")), RunListener.NONE);
    }

    private static String call(String path) {
        return "[{\"name\":\"call\",\"type\":\"http_request\",\"settings\":{\"url\":\"" + baseUrl + path + "\"}}]";
    }

    @Test
    void aResponseBodyOverTheLimitFailsTheStepNamingTheLimit() throws Exception {
        for (String path : new String[] {"/big", "/big-chunked"}) {
            FlowRun run = run(call(path));
            assertThat(run.status()).as(path).isEqualTo(RunStatus.FAILED);
            assertThat(run.failedStep()).isEqualTo("call");
            assertThat(run.error()).as(path).contains("the response body of GET " + baseUrl + path)
                    .contains("larger than 1 MB (AP_MAX_FILE_SIZE_MB)");
            assertThat(run.step("call").attempts()).as("not retried: the same call gets the same body").isEqualTo(1);
        }
    }

    @Test
    void aResponseBodyUnderTheLimitIsKept() throws Exception {
        FlowRun run = run(call("/small"));
        assertThat(run.status()).as(run.error()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.step("call").output().path("body").asText()).hasSize(MB / 2);
    }

    @Test
    void aStepOutputOverTheLimitFailsTheStep() throws Exception {
        FlowRun run = run("""
                [{"name":"make","type":"code","settings":{"code":"export const code = async () => 'x'.repeat(2 * 1024 * 1024);"}}]""");
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.failedStep()).isEqualTo("make");
        assertThat(run.error()).contains("the output of step make is larger than 1 MB (AP_MAX_FILE_SIZE_MB), "
                + "the largest a step may produce");
    }
}
