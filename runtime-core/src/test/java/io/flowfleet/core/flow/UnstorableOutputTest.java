package io.flowfleet.core.flow;

import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A step output the run store (Postgres jsonb) cannot keep fails its step with a message naming why,
 * and no error text the engine hands out holds what jsonb or a text column refuses.
 */
class UnstorableOutputTest {
    private static FlowEngine engine;
    private static HttpServer server;
    private static String baseUrl;

    @BeforeAll
    static void start() throws IOException {
        engine = FlowEngine.builder().statementLimit(1_000_000).build();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/huge-number", exchange -> {
            byte[] bytes = "{\"n\":1e999999}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.start();
        baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        engine.close();
    }

    private static FlowRun run(String stepJson) throws Exception {
        FlowDefinition def = FlowDefinition.parse("{\"name\":\"t\",\"trigger\":{\"name\":\"trigger\",\"type\":\"webhook\"},\"steps\":["
                + stepJson + ",{\"name\":\"next\",\"type\":\"math\",\"settings\":{\"operation\":\"add\",\"a\":1,\"b\":2}}]}");
        return engine.run(def, TriggerPayload.ofBody(Json.MAPPER.readTree("{}")), RunListener.NONE);
    }

    private static String code(String body) {
        return "{\"name\":\"bad\",\"type\":\"code\",\"settings\":{\"code\":\"export const code = async (inputs) => " + body + ";\"}}";
    }

    private static void assertStorable(FlowRun run) {
        assertThat(Json.unstorable(run.toJson())).as("the whole run as stored").isNull();
        assertThat(Json.unstorable(run.error())).isNull();
    }

    @Test
    void aCodeOutputWithUPlus0000OrAnUnpairedSurrogateFailsItsStep() throws Exception {
        FlowRun nul = run(code("({ v: ['a' + String.fromCharCode(0)] })"));
        assertThat(nul.status()).isEqualTo(RunStatus.FAILED);
        assertThat(nul.failedStep()).isEqualTo("bad");
        assertThat(nul.error()).isEqualTo("the step's output cannot be kept by the run store: a string holds U+0000, which Postgres cannot store");
        assertThat(nul.step("next")).as("the run stops at the failed step").isNull();
        assertStorable(nul);

        FlowRun surrogate = run(code("({ [String.fromCharCode(0xDC00)]: 1 })"));
        assertThat(surrogate.status()).isEqualTo(RunStatus.FAILED);
        assertThat(surrogate.error()).contains("a property name holds an unpaired UTF-16 surrogate (\\udc00)");
        assertStorable(surrogate);

        FlowRun paired = run(code("({ v: '\\uD83D\\uDE00' + String.fromCharCode(0xFFFE) })"));
        assertThat(paired.status()).as("paired surrogates and noncharacters are storable: %s", paired.error()).isEqualTo(RunStatus.SUCCEEDED);
    }

    @Test
    void aNumberJsonbCannotKeepFailsItsStep() throws Exception {
        // 1e999999 reads as a double: Infinity, which jsonb cannot keep as a number.
        FlowRun run = run("{\"name\":\"bad\",\"type\":\"http_request\",\"settings\":{\"url\":\"" + baseUrl + "/huge-number\"}}");
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.failedStep()).isEqualTo("bad");
        assertThat(run.error()).startsWith("the step's output cannot be kept by the run store: a JSON number");
        assertStorable(run);
    }

    @Test
    void anErrorMessageWithUPlus0000IsKeptWithAReplacementCharacter() throws Exception {
        FlowRun run = run(code("{ throw new Error('bad' + String.fromCharCode(0) + 'error') }"));
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.error()).contains("bad\uFFFDerror");
        assertThat(run.step("bad").error()).contains("bad\uFFFDerror");
        assertStorable(run);
    }
}
