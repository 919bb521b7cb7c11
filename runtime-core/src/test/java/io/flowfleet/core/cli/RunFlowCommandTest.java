package io.flowfleet.core.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowfleet.core.flow.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class RunFlowCommandTest {
    @TempDir
    Path dir;

    private record Result(int exit, String out, String err) {
        JsonNode json() throws Exception {
            return Json.MAPPER.readTree(out);
        }
    }

    private static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = RunFlowCommand.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static String example(String file) {
        Path p = Path.of("../examples/flows").resolve(file);
        return (Files.exists(p) ? p : Path.of("examples/flows").resolve(file)).toString();
    }

    @Test
    void seedFlowPrintsTheRunAndExitsZero() throws Exception {
        Result r = run("run-flow", example("seed-benchmark.json"), "--payload", "{}");
        assertThat(r.exit()).as(r.err()).isZero();
        JsonNode run = r.json();
        assertThat(run.path("status").asText()).isEqualTo("SUCCEEDED");
        assertThat(run.at("/steps/step_1/output").intValue()).isEqualTo(5);
        assertThat(run.at("/steps/step_2/output").intValue()).isEqualTo(6);
        assertThat(run.path("response")).isEqualTo(Json.MAPPER.readTree(
                "{\"status\":200,\"headers\":{\"content-type\":\"application/json\"},\"body\":{\"sum\":6}}"));
    }

    @Test
    void repeatRunsTheFlowWarmAndReportsOnStderr() throws Exception {
        Result r = run(example("seed-benchmark.json"), "--payload", "{}", "--repeat", "200");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.json().at("/response/body/sum").intValue()).isEqualTo(6);
        assertThat(r.err()).containsPattern("warm runs: 200 \\(0 not succeeded\\), JS runtime: (optimizing|interpreter); per run p50 [0-9.]+ us");
        assertThat(run(example("seed-benchmark.json"), "--repeat", "many").err()).contains("--repeat takes a whole number");
    }

    @Test
    void activepiecesExportRunsWithHeadersAndQuery() throws Exception {
        Result r = run(example("activepieces-webhook-code-response.json"), "--payload", "{\"name\":\"Ada\",\"count\":1}",
                "--header", "X-Id=7", "--query", "page=2");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.json().at("/response/body/message").asText()).isEqualTo("Hello Ada");
        assertThat(r.json().at("/steps/trigger/output/headers/x-id").asText()).isEqualTo("7");
        assertThat(r.json().at("/steps/trigger/output/queryParams/page").asText()).isEqualTo("2");
    }

    @Test
    void failedRunExitsOneAndStillPrintsTheRun() throws Exception {
        Path flow = dir.resolve("fail.json");
        Files.writeString(flow, """
                {"trigger":{"name":"trigger","type":"webhook"},"steps":[
                  {"name":"boom","type":"code","settings":{"code":"export const code = async () => { throw new Error('nope'); };"}}]}""");
        Result r = run(flow.toString(), "--payload", "{}");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.json().path("status").asText()).isEqualTo("FAILED");
        assertThat(r.json().path("failedStep").asText()).isEqualTo("boom");
        assertThat(r.json().path("error").asText()).contains("Error: nope");
        assertThat(r.json().path("response").isNull()).isTrue();
    }

    @Test
    void invalidFlowPayloadOrArgumentsExitTwo() throws Exception {
        Path flow = dir.resolve("bad.json");
        Files.writeString(flow, "{\"trigger\":{\"type\":\"webhook\"},\"steps\":[{\"name\":\"x\",\"type\":\"teleport\"}]}");
        Result badFlow = run(flow.toString(), "--payload", "{}");
        assertThat(badFlow.exit()).isEqualTo(2);
        assertThat(badFlow.err()).contains("unknown step type \"teleport\"");
        assertThat(badFlow.out()).isEmpty();

        Result badPayload = run(example("seed-benchmark.json"), "--payload", "{not json");
        assertThat(badPayload.exit()).isEqualTo(2);
        assertThat(badPayload.err()).contains("--payload is not JSON");

        assertThat(run(dir.resolve("missing.json").toString()).exit()).isEqualTo(2);
        assertThat(run().exit()).isEqualTo(2);
        assertThat(run(example("seed-benchmark.json"), "--payload").err()).contains("--payload needs a value");
        assertThat(run(example("seed-benchmark.json"), "--bogus").exit()).isEqualTo(2);
    }
}
