package io.flowfleet.core.flow;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.sun.net.httpserver.HttpServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static io.flowfleet.core.flow.FlowEngineTest.flow;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine against a run's claim gate, with a real loopback HTTP receiver that counts requests and
 * records their Idempotency-Key headers: no step with an effect starts before the gate opens, a
 * refused or revoked gate stops the run before its next effect, pure steps do not wait.
 */
class ClaimGateTest {
    private static FlowEngine engine;
    private static HttpServer server;
    private static String url;
    private static final List<String> keys = Collections.synchronizedList(new ArrayList<>());

    private static final String PURE_THEN_HTTP = """
            [{"name":"sum","type":"math","settings":{"operation":"add","a":1,"b":2}},
             {"name":"call","type":"http_request","settings":{"method":"POST","url":"%s","body":{"n":"{{sum}}"}}},
             {"name":"again","type":"http_request","settings":{"url":"%s"}}]""";

    @BeforeAll
    static void start() throws IOException {
        engine = FlowEngine.builder().build();
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hit", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String key = exchange.getRequestHeaders().getFirst("Idempotency-Key");
            keys.add(key == null ? "<none>" : key);
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hit";
    }

    @AfterAll
    static void stop() {
        if (server != null) server.stop(0);
        if (engine != null) engine.close();
    }

    @BeforeEach
    void reset() {
        keys.clear();
    }

    private static TriggerPayload trigger() {
        return TriggerPayload.ofBody(JsonNodeFactory.instance.objectNode());
    }

    @Test
    void aRefusedClaimStopsTheRunBeforeItsFirstEffectWhilePureStepsRan() throws Exception {
        ClaimGate gate = ClaimGate.pending(UUID.randomUUID());
        gate.refuse("run is SUCCEEDED");
        List<String> finished = Collections.synchronizedList(new ArrayList<>());

        assertThatThrownBy(() -> engine.run(flow(PURE_THEN_HTTP.formatted(url, url)), trigger(), new RunListener() {
            @Override
            public void onStepFinished(StepRun step) {
                finished.add(step.name());
            }
        }, gate)).isInstanceOf(ClaimRefused.class).hasMessageContaining("SUCCEEDED");

        assertThat(keys).as("no HTTP request reached the receiver").isEmpty();
        assertThat(finished).containsExactly("trigger", "sum");
    }

    @Test
    void effectsWaitForTheClaimAndPureStepsDoNot() throws Exception {
        ClaimGate gate = ClaimGate.pending(UUID.randomUUID());
        CountDownLatch pureDone = new CountDownLatch(1);
        CompletableFuture<FlowRun> running = CompletableFuture.supplyAsync(() -> {
            try {
                return engine.run(flow(PURE_THEN_HTTP.formatted(url, url)), trigger(), new RunListener() {
                    @Override
                    public void onStepFinished(StepRun step) {
                        if (step.name().equals("sum")) pureDone.countDown();
                    }
                }, gate);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        assertThat(pureDone.await(30, TimeUnit.SECONDS)).as("the pure step ran before the claim").isTrue();
        Thread.sleep(300); // give a wrongly ungated HTTP step time to fire; nothing to await for an absence
        assertThat(keys).isEmpty();
        assertThat(running).isNotDone();

        gate.grant();

        FlowRun run = running.get(30, TimeUnit.SECONDS);
        assertThat(run.status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(keys).hasSize(2);
    }

    @Test
    void aRevokedGateStopsTheRunBeforeItsNextEffect() throws Exception {
        ClaimGate gate = ClaimGate.open(UUID.randomUUID());

        assertThatThrownBy(() -> engine.run(flow(PURE_THEN_HTTP.formatted(url, url)), trigger(), new RunListener() {
            @Override
            public void onStepFinished(StepRun step) {
                if (step.name().equals("call")) gate.revoke("lease lost to another worker");
            }
        }, gate)).isInstanceOf(ClaimRefused.class);

        assertThat(keys).as("only the step before the loss").hasSize(1);
    }

    @Test
    void pastItsLeaseARunActsOnlyOnceTheLeaseIsExtended() throws Exception {
        ClaimGate gate = ClaimGate.pending(UUID.randomUUID());
        gate.grantUntil(System.nanoTime() - 1); // held, but the lease lapsed without news (paused worker, Postgres unreachable)
        CompletableFuture<FlowRun> running = CompletableFuture.supplyAsync(() -> {
            try {
                return engine.run(flow(PURE_THEN_HTTP.formatted(url, url)), trigger(), null, gate);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(500); // nothing to await for an absence
        assertThat(keys).as("no effect while the lease is not known to be valid").isEmpty();

        gate.extendUntil(System.nanoTime() + 60_000_000_000L);

        assertThat(running.get(30, TimeUnit.SECONDS).status()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(keys).hasSize(2);
    }

    @Test
    void aLapsedLeaseThatTurnsOutLostStopsTheRun() throws Exception {
        ClaimGate gate = ClaimGate.pending(UUID.randomUUID());
        gate.grantUntil(System.nanoTime() - 1);
        CompletableFuture<FlowRun> running = CompletableFuture.supplyAsync(() -> {
            try {
                return engine.run(flow(PURE_THEN_HTTP.formatted(url, url)), trigger(), null, gate);
            } catch (ClaimRefused e) {
                return null;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        gate.revoke("lease lost to another worker");

        assertThat(running.get(30, TimeUnit.SECONDS)).as("stopped by the refusal").isNull();
        assertThat(keys).isEmpty();
    }

    @Test
    void theReplyWaitsForTheClaimToo() throws Exception {
        ClaimGate gate = ClaimGate.pending(UUID.randomUUID());
        gate.refuse("duplicate");
        List<FlowResponse> replies = Collections.synchronizedList(new ArrayList<>());

        assertThatThrownBy(() -> engine.run(flow("""
                [{"name":"answer","type":"return_response","settings":{"status":200,"body":{"ok":true}}}]"""), trigger(),
                new RunListener() {
                    @Override
                    public void onResponse(FlowResponse response) {
                        replies.add(response);
                    }
                }, gate)).isInstanceOf(ClaimRefused.class);

        assertThat(replies).isEmpty();
    }

    @Test
    void httpRequestsCarryAnIdempotencyKeyStableAcrossDeliveriesAndDistinctPerStep() throws Exception {
        FlowDefinition def = flow("""
                [{"name":"first","type":"http_request","settings":{"url":"%1$s"}},
                 {"name":"second","type":"http_request","settings":{"url":"%1$s"}},
                 {"name":"each","type":"loop","settings":{"items":[1,2],"steps":[
                    {"name":"inLoop","type":"http_request","settings":{"url":"%1$s"}}]}},
                 {"name":"own","type":"http_request","settings":{"url":"%1$s","headers":{"idempotency-key":"mine"}}},
                 {"name":"custom","type":"http_request","settings":{"url":"%1$s","idempotencyKey":"order-{{trigger.method}}"}},
                 {"name":"off","type":"http_request","settings":{"url":"%1$s","idempotencyKey":false}}]""".formatted(url));
        UUID runId = UUID.randomUUID();

        assertThat(engine.run(def, trigger(), null, ClaimGate.open(runId)).status()).isEqualTo(RunStatus.SUCCEEDED);
        List<String> firstDelivery = List.copyOf(keys);
        keys.clear();
        engine.run(def, trigger(), null, ClaimGate.open(runId));
        List<String> redelivery = List.copyOf(keys);
        keys.clear();
        engine.run(def, trigger(), null, ClaimGate.open(UUID.randomUUID()));
        List<String> otherRun = List.copyOf(keys);

        assertThat(firstDelivery).hasSize(7);
        assertThat(redelivery).as("the same run sends the same keys when delivered again").isEqualTo(firstDelivery);
        List<String> derived = firstDelivery.subList(0, 4);
        assertThat(derived).as("one key per step execution, loop iterations included").doesNotHaveDuplicates()
                .allSatisfy(k -> assertThat(UUID.fromString(k)).isNotNull());
        assertThat(firstDelivery.subList(4, 7)).containsExactly("mine", "order-POST", "<none>");
        assertThat(otherRun.subList(0, 4)).as("another run, other keys").doesNotContainAnyElementsOf(derived);
    }

    @Test
    void anIdempotencyKeySettingMustBeABooleanOrAString() {
        assertThatThrownBy(() -> flow("""
                [{"name":"call","type":"http_request","settings":{"url":"%s","idempotencyKey":3}}]""".formatted(url)))
                .isInstanceOf(InvalidFlowException.class).hasMessageContaining("idempotencyKey");
    }
}
