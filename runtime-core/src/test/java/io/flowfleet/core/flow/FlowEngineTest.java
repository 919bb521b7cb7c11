package io.flowfleet.core.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs flows through one shared engine (one GraalVM engine for the class) against real JS and a real HTTP server. */
class FlowEngineTest {
    private static FlowEngine engine;
    private static HttpServer server;
    private static String baseUrl;
    private static final AtomicInteger flakyCalls = new AtomicInteger();

    @BeforeAll
    static void start() throws IOException {
        engine = FlowEngine.builder().statementLimit(1_000_000).build();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/echo", exchange -> {
            byte[] in = exchange.getRequestBody().readAllBytes();
            String reply = "{\"method\":\"" + exchange.getRequestMethod() + "\",\"query\":\"" + exchange.getRequestURI().getRawQuery()
                    + "\",\"contentType\":\"" + exchange.getRequestHeaders().getFirst("Content-Type")
                    + "\",\"token\":\"" + exchange.getRequestHeaders().getFirst("X-Token")
                    + "\",\"received\":" + (in.length == 0 ? "null" : new String(in, StandardCharsets.UTF_8)) + "}";
            send(exchange, 200, "application/json", reply);
        });
        server.createContext("/text", exchange -> send(exchange, 200, "text/plain", "plain words"));
        server.createContext("/broken", exchange -> send(exchange, 503, "text/plain", "down for maintenance"));
        server.createContext("/flaky", exchange -> {
            if (flakyCalls.incrementAndGet() % 3 != 0) {
                send(exchange, 500, "text/plain", "try again");
            } else {
                send(exchange, 200, "application/json", "{\"ok\":true}");
            }
        });
        server.start();
        baseUrl = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void send(com.sun.net.httpserver.HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
        exchange.close();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
        engine.close();
    }

    static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }

    static Path examples() {
        Path p = Path.of("../examples/flows");
        return Files.isDirectory(p) ? p : Path.of("examples/flows");
    }

    /** A flow with a webhook trigger and these steps (a JSON array). */
    static FlowDefinition flow(String stepsJson) throws Exception {
        return FlowDefinition.parse("{\"name\":\"t\",\"trigger\":{\"name\":\"trigger\",\"type\":\"webhook\"},\"steps\":" + stepsJson + "}");
    }

    private static FlowRun run(FlowDefinition def, String body) throws Exception {
        return engine.run(def, TriggerPayload.ofBody(json(body)), RunListener.NONE);
    }

    @Test
    void seedBenchmarkFlowAnswersSumSix() throws Exception {
        FlowDefinition def = FlowDefinition.parse(Files.readString(examples().resolve("seed-benchmark.json")))
                .withCacheKey("seed:1");
        List<String> events = new ArrayList<>();
        FlowRun run = engine.run(def, TriggerPayload.ofBody(json("{}")), new RunListener() {
            @Override
            public void onResponse(FlowResponse response) {
                events.add("response " + response.status() + " " + response.body());
            }

            @Override
            public void onStepFinished(StepRun step) {
                events.add("step " + step.name() + " " + step.status());
            }
        });

        assertThat(run.status()).as(run.toJson().toString()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.response().status()).isEqualTo(200);
        assertThat(run.response().body()).isEqualTo(json("{\"sum\":6}"));
        assertThat(new String(run.response().bodyBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"sum\":6}");
        assertThat(run.step("step_1").output().intValue()).isEqualTo(5);
        assertThat(run.step("step_2").input()).isEqualTo(json("{\"sum\":5}"));
        assertThat(events).containsExactly("step trigger SUCCEEDED", "step step_1 SUCCEEDED", "step step_2 SUCCEEDED",
                "response 200 {\"sum\":6}", "step step_3 SUCCEEDED");
        JsonNode asJson = run.toJson();
        assertThat(asJson.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(asJson.path("steps").path("step_2").path("output").intValue()).isEqualTo(6);
        assertThat(asJson.path("response").path("body").path("sum").intValue()).isEqualTo(6);

        // Warm runs of the same definition give the same answer (compiled code and context reused).
        for (int i = 0; i < 20; i++) {
            assertThat(engine.run(def, TriggerPayload.ofBody(json("{}")), RunListener.NONE).response().body())
                    .isEqualTo(json("{\"sum\":6}"));
        }
    }

    @Test
    void wholeValueTemplatesKeepTheirTypeAndTextTemplatesAreStringified() throws Exception {
        FlowDefinition def = flow("""
                [{"name":"echo","type":"code","settings":{
                   "code":"export const code = async (inputs) => Object.fromEntries(Object.entries(inputs).map(([k, v]) => [k, v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v]));",
                   "input":{
                     "n":"{{trigger.body.n}}", "flag":"{{trigger.body.flag}}", "list":"{{trigger.body.list}}",
                     "obj":"{{trigger.body.obj}}", "spaced":"{{ trigger.body.n }}", "missing":"{{trigger.body.nope.deeper}}",
                     "second":"{{trigger.body.list[1]}}", "brackets":"{{trigger['body']['name']}}",
                     "text":"n={{trigger.body.n}} obj={{trigger.body.obj}} none={{trigger.body.nope}}",
                     "header":"{{trigger.headers.x-id}}", "query":"{{trigger.queryParams.page}}", "constant": 3,
                     "nested":{"inner":["{{trigger.body.n}}", "#{{trigger.body.name}}"]}
                   }}}]""");
        FlowRun run = engine.run(def, new TriggerPayload("POST", Map.of("X-Id", "abc"), Map.of("page", "2"),
                json("{\"n\":5,\"flag\":true,\"list\":[1,2],\"obj\":{\"a\":1},\"name\":\"ann\"}")), RunListener.NONE);

        assertThat(run.status()).as(run.toJson().toString()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.step("echo").input()).isEqualTo(json("""
                {"n":5,"flag":true,"list":[1,2],"obj":{"a":1},"spaced":5,"missing":null,"second":2,"brackets":"ann",
                 "text":"n=5 obj={\\"a\\":1} none=","header":"abc","query":"2","constant":3,"nested":{"inner":[5,"#ann"]}}"""));
        assertThat(run.step("echo").output()).isEqualTo(json("""
                {"n":"number","flag":"boolean","list":"array","obj":"object","spaced":"number","missing":"null","second":"number",
                 "brackets":"string","text":"string","header":"string","query":"string","constant":"number","nested":"object"}"""));
    }

    @Test
    void mathStepDoesTheFiveOperations() throws Exception {
        FlowDefinition def = flow("""
                [{"name":"add","type":"math","settings":{"operation":"add","a":"{{trigger.body.x}}","b":2.5}},
                 {"name":"sub","type":"math","settings":{"operation":"subtract","a":10,"b":"{{trigger.body.x}}"}},
                 {"name":"mul","type":"math","settings":{"operation":"multiply","a":"{{sub}}","b":"3"}},
                 {"name":"div","type":"math","settings":{"operation":"divide","a":7,"b":2}},
                 {"name":"mod","type":"math","settings":{"operation":"modulo","a":7,"b":"{{trigger.body.x}}"}}]""");
        FlowRun run = run(def, "{\"x\":4}");
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.step("add").output().doubleValue()).isEqualTo(6.5);
        assertThat(run.step("sub").output()).isEqualTo(json("6"));
        assertThat(run.step("mul").output()).isEqualTo(json("18"));
        assertThat(run.step("div").output().doubleValue()).isEqualTo(3.5);
        assertThat(run.step("mod").output()).isEqualTo(json("3"));

        FlowRun byZero = run(flow("[{\"name\":\"div\",\"type\":\"math\",\"settings\":{\"operation\":\"divide\",\"a\":1,\"b\":\"{{trigger.body.x}}\"}}]"), "{\"x\":0}");
        assertThat(byZero.status()).isEqualTo(RunStatus.FAILED);
        assertThat(byZero.failedStep()).isEqualTo("div");
        assertThat(byZero.error()).contains("division by zero");

        FlowRun notANumber = run(flow("[{\"name\":\"add\",\"type\":\"math\",\"settings\":{\"operation\":\"add\",\"a\":1,\"b\":\"{{trigger.body.x}}\"}}]"), "{\"x\":\"abc\"}");
        assertThat(notANumber.status()).isEqualTo(RunStatus.FAILED);
        assertThat(notANumber.error()).contains("b is not a number: \"abc\"");
    }

    @Test
    void httpRequestStepSendsAndParsesJson() throws Exception {
        FlowDefinition def = flow("""
                [{"name":"call","type":"http_request","settings":{"method":"POST","url":"%s/echo",
                   "headers":{"X-Token":"{{trigger.body.token}}"},"queryParams":{"q":"a b"},
                   "body":{"value":"{{trigger.body.value}}"},"timeoutMs":5000}},
                 {"name":"text","type":"http_request","settings":{"url":"%s/text"}}]""".formatted(baseUrl, baseUrl));
        FlowRun run = run(def, "{\"token\":\"t1\",\"value\":[1,2]}");
        assertThat(run.status()).as(run.toJson().toString()).isEqualTo(RunStatus.SUCCEEDED);
        JsonNode out = run.step("call").output();
        assertThat(out.path("status").intValue()).isEqualTo(200);
        assertThat(out.path("headers").path("content-type").asText()).isEqualTo("application/json");
        assertThat(out.path("body")).isEqualTo(json("""
                {"method":"POST","query":"q=a+b","contentType":"application/json","token":"t1","received":{"value":[1,2]}}"""));
        assertThat(run.step("text").output().path("body").asText()).isEqualTo("plain words");
    }

    @Test
    void httpErrorStatusFailsTheStepUnlessToldOtherwise() throws Exception {
        FlowRun failing = run(flow("[{\"name\":\"call\",\"type\":\"http_request\",\"settings\":{\"url\":\"" + baseUrl + "/broken\"}}]"), "{}");
        assertThat(failing.status()).isEqualTo(RunStatus.FAILED);
        assertThat(failing.failedStep()).isEqualTo("call");
        assertThat(failing.error()).contains("answered 503").contains("down for maintenance");

        FlowRun tolerated = run(flow("[{\"name\":\"call\",\"type\":\"http_request\",\"settings\":{\"url\":\"" + baseUrl
                + "/broken\",\"failOnErrorStatus\":false}}]"), "{}");
        assertThat(tolerated.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(tolerated.step("call").output().path("status").intValue()).isEqualTo(503);
    }

    @Test
    void branchRunsTheFirstMatchingChainOrOtherwise() throws Exception {
        FlowDefinition def = flow("""
                [{"name":"route","type":"branch","settings":{
                   "branches":[
                     {"name":"big","conditions":[[{"left":"{{trigger.body.n}}","operator":"greater_than","right":100}]],
                      "steps":[{"name":"say_big","type":"return_response","settings":{"body":{"size":"big","branch":"{{route.branch}}"}}}]},
                     {"name":"named","conditions":[[{"left":"{{trigger.body.n}}","operator":"less_than","right":0}],
                                                   [{"left":"{{trigger.body.tag}}","operator":"equals","right":"VIP","caseSensitive":false},
                                                    {"left":"{{trigger.body.n}}","operator":"greater_or_equal","right":10}]],
                      "steps":[{"name":"say_named","type":"return_response","settings":{"body":{"size":"named"}}}]}
                   ],
                   "otherwise":[{"name":"say_small","type":"return_response","settings":{"body":{"size":"small"}}}]}}]""");
        assertThat(run(def, "{\"n\":500}").response().body()).isEqualTo(json("{\"size\":\"big\",\"branch\":\"big\"}"));
        assertThat(run(def, "{\"n\":-1}").response().body()).isEqualTo(json("{\"size\":\"named\"}"));
        assertThat(run(def, "{\"n\":10,\"tag\":\"vip\"}").response().body()).isEqualTo(json("{\"size\":\"named\"}"));
        FlowRun small = run(def, "{\"n\":5,\"tag\":\"vip\"}");
        assertThat(small.response().body()).isEqualTo(json("{\"size\":\"small\"}"));
        assertThat(small.step("route").output()).isEqualTo(json("{\"branch\":\"otherwise\",\"index\":-1}"));
        assertThat(small.step("say_big")).isNull();
    }

    @Test
    void loopRunsItsChainPerItemAndCollectsOutputs() throws Exception {
        FlowDefinition def = flow("""
                [{"name":"each","type":"loop","settings":{"items":"{{trigger.body.items}}","steps":[
                   {"name":"double","type":"code","settings":{"input":{"v":"{{each.item}}","i":"{{each.index}}"},
                     "code":"export const code = async (inputs) => ({ value: inputs.v * 2, at: inputs.i });"}},
                   {"name":"plus","type":"math","settings":{"operation":"add","a":"{{double.value}}","b":1}}]}},
                 {"name":"answer","type":"return_response","settings":{"body":"{{each.iterations}}"}}]""");
        FlowRun run = run(def, "{\"items\":[1,2,3]}");
        assertThat(run.status()).as(run.toJson().toString()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.response().body()).isEqualTo(json("""
                [{"double":{"value":2,"at":0},"plus":3},{"double":{"value":4,"at":1},"plus":5},{"double":{"value":6,"at":2},"plus":7}]"""));
        assertThat(run.steps().stream().filter(s -> s.name().equals("double")).count()).isEqualTo(3);

        FlowRun notArray = run(def, "{\"items\":\"nope\"}");
        assertThat(notArray.status()).isEqualTo(RunStatus.FAILED);
        assertThat(notArray.error()).contains("items is not an array");
    }

    @Test
    void delayWaitsTheGivenTime() throws Exception {
        FlowRun run = run(flow("[{\"name\":\"wait\",\"type\":\"delay\",\"settings\":{\"millis\":\"{{trigger.body.ms}}\"}}]"), "{\"ms\":60}");
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.step("wait").output()).isEqualTo(json("{\"delayedMillis\":60}"));
        assertThat(run.step("wait").durationMicros()).isGreaterThanOrEqualTo(60_000);
    }

    @Test
    void respondAndStopEndsTheRun() throws Exception {
        FlowRun run = run(flow("""
                [{"name":"answer","type":"return_response","settings":{"status":201,"headers":{"X-Kind":"stop"},"body":{"ok":true}}},
                 {"name":"after","type":"math","settings":{"operation":"add","a":1,"b":1}}]"""), "{}");
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.response().status()).isEqualTo(201);
        assertThat(run.response().headers()).containsEntry("X-Kind", "stop");
        assertThat(run.response().contentType()).isEqualTo("application/json");
        assertThat(run.step("after")).isNull();
    }

    @Test
    void respondAndContinueAnswersBeforeTheFlowGoesOn() throws Exception {
        List<String> events = new ArrayList<>();
        FlowDefinition def = flow("""
                [{"name":"answer","type":"return_response","settings":{"body":"accepted {{trigger.body.id}}","bodyType":"raw",
                   "mode":"respond_and_continue"}},
                 {"name":"after","type":"code","settings":{"code":"export const code = async () => 'went on';"}},
                 {"name":"second","type":"return_response","settings":{"body":{"ignored":true}}}]""");
        FlowRun run = engine.run(def, TriggerPayload.ofBody(json("{\"id\":7}")), new RunListener() {
            @Override
            public void onResponse(FlowResponse response) {
                events.add("response " + new String(response.bodyBytes(), StandardCharsets.UTF_8));
            }

            @Override
            public void onStepFinished(StepRun step) {
                events.add("step " + step.name());
            }
        });
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(events).containsExactly("step trigger", "response accepted 7", "step answer", "step after", "step second");
        assertThat(run.response().raw()).isTrue();
        assertThat(run.response().contentType()).startsWith("text/plain");
        assertThat(run.step("after").output().asText()).isEqualTo("went on");
    }

    @Test
    void retryWithBackoffUntilTheStepSucceeds() throws Exception {
        flakyCalls.set(0);
        FlowRun run = run(flow("[{\"name\":\"call\",\"type\":\"http_request\",\"settings\":{\"url\":\"" + baseUrl
                + "/flaky\"},\"retry\":{\"maxAttempts\":3,\"backoffMillis\":10,\"maxBackoffMillis\":20}}]"), "{}");
        assertThat(run.status()).as(run.toJson().toString()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.step("call").attempts()).isEqualTo(3);
        assertThat(run.step("call").output().path("body")).isEqualTo(json("{\"ok\":true}"));
        assertThat(flakyCalls.get()).isEqualTo(3);
    }

    @Test
    void retriesAreBoundedThenTheRunFails() throws Exception {
        FlowRun run = run(flow("""
                [{"name":"boom","type":"code","retry":{"maxAttempts":2,"backoffMillis":5},
                  "settings":{"code":"export const code = async () => { throw new Error('always'); };"}}]"""), "{}");
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.failedStep()).isEqualTo("boom");
        assertThat(run.step("boom").attempts()).isEqualTo(2);
        assertThat(run.error()).contains("Error: always");
    }

    @Test
    void continueOnFailureGoesOnWithANullOutput() throws Exception {
        FlowRun run = run(flow("""
                [{"name":"boom","type":"code","continueOnFailure":true,
                  "settings":{"code":"export const code = async () => { throw new TypeError('bad thing'); };"}},
                 {"name":"after","type":"code","settings":{"input":{"prev":"{{boom}}"},
                   "code":"export const code = async (inputs) => inputs.prev === null ? 'saw null' : 'saw value';"}}]"""), "{}");
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.step("boom").status()).isEqualTo(StepStatus.FAILED);
        assertThat(run.step("boom").error()).contains("TypeError: bad thing");
        assertThat(run.step("after").output().asText()).isEqualTo("saw null");
    }

    @Test
    void codeErrorFailsTheStepWithMessageAndStack() throws Exception {
        FlowDefinition def = flow("""
                [{"name":"thrower","type":"code","settings":{"input":{"who":"{{trigger.body.who}}"},
                  "code":"export const code = async (inputs) => {\\n  return helper(inputs.who);\\n};\\nfunction helper(w) { throw new Error('no ' + w); }"}}]""")
                .withCacheKey("flow-err:1");
        FlowRun run = run(def, "{\"who\":\"cookies\"}");
        assertThat(run.status()).isEqualTo(RunStatus.FAILED);
        assertThat(run.failedStep()).isEqualTo("thrower");
        assertThat(run.error()).contains("Error: no cookies").contains("at helper (flow-err@1/thrower.js:4");
        assertThat(run.toJson().path("steps").path("thrower").path("status").asText()).isEqualTo("FAILED");
    }

    @Test
    void runawayCodeIsStoppedAndTheNextRunWorks() throws Exception {
        FlowRun runaway = run(flow("[{\"name\":\"spin\",\"type\":\"code\",\"settings\":{\"code\":\"export const code = async () => { while (true) {} };\"}}]"), "{}");
        assertThat(runaway.status()).isEqualTo(RunStatus.FAILED);
        assertThat(runaway.failedStep()).isEqualTo("spin");
        assertThat(runaway.error()).contains("more than 1000000 statements");

        FlowDefinition seed = FlowDefinition.parse(Files.readString(examples().resolve("seed-benchmark.json")));
        assertThat(run(seed, "{}").response().body()).isEqualTo(json("{\"sum\":6}"));
    }

    @Test
    void concurrentRunsShareTheEngine() throws Exception {
        FlowDefinition def = flow("""
                [{"name":"c","type":"code","settings":{"input":{"n":"{{trigger.body.n}}"},"code":"export const code = async (inputs) => inputs.n * 10;"}}]""")
                .withCacheKey("concurrent:1");
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < 4; t++) {
            int base = t * 1000;
            threads.add(Thread.ofPlatform().start(() -> {
                try {
                    for (int i = 0; i < 25; i++) {
                        FlowRun r = run(def, "{\"n\":" + (base + i) + "}");
                        assertThat(r.step("c").output().intValue()).isEqualTo((base + i) * 10);
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(failures).isEmpty();
    }
}
