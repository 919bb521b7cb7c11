package io.flowfleet.core.importer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowfleet.core.flow.FlowDefinition;
import io.flowfleet.core.flow.FlowEngine;
import io.flowfleet.core.flow.FlowRun;
import io.flowfleet.core.flow.InvalidFlowException;
import io.flowfleet.core.flow.Json;
import io.flowfleet.core.flow.RunListener;
import io.flowfleet.core.flow.RunStatus;
import io.flowfleet.core.flow.TriggerPayload;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

class ActivepiecesImporterTest {
    private static FlowEngine engine;

    @BeforeAll
    static void start() {
        engine = FlowEngine.builder().build();
    }

    @AfterAll
    static void stop() {
        engine.close();
    }

    private static JsonNode json(String s) throws Exception {
        return Json.MAPPER.readTree(s);
    }

    private static String example(String file) throws Exception {
        Path p = Path.of("../examples/flows").resolve(file);
        return Files.readString(Files.exists(p) ? p : Path.of("examples/flows").resolve(file));
    }

    /** An AP flow version with this chain after the webhook trigger. */
    private static String apFlow(String firstAction) {
        return """
                {"displayName":"t","trigger":{"name":"trigger","type":"PIECE_TRIGGER","settings":{
                  "pieceName":"@activepieces/piece-webhook","triggerName":"catch_webhook","input":{"authType":"none"}},
                  "nextAction":%s}}""".formatted(firstAction);
    }

    private static ObjectNode piece(String name, String pieceName, String action, String input, String next) throws Exception {
        return (ObjectNode) json("""
                {"name":"%s","type":"PIECE","settings":{"pieceName":"%s","actionName":"%s","input":%s},"nextAction":%s}"""
                .formatted(name, pieceName, action, input, next));
    }

    @Test
    void exportOfWebhookCodeResponseImportsAndRuns() throws Exception {
        String export = example("activepieces-webhook-code-response.json");
        assertThat(FlowDefinition.isActivepiecesFormat(json(export))).isTrue();
        FlowDefinition def = FlowDefinition.parse(export);
        assertThat(def.name()).isEqualTo("Webhook, code, response");
        assertThat(json(def.toJson()).path("steps")).hasSize(2);

        FlowRun run = engine.run(def, TriggerPayload.ofBody(json("{\"name\":\"Ada\",\"count\":41}")), RunListener.NONE);
        assertThat(run.status()).as(run.toJson().toString()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(run.response().status()).isEqualTo(200);
        assertThat(run.response().body()).isEqualTo(json("{\"message\":\"Hello Ada\",\"next\":42}"));

        // The canonical form is Flowfleet's own and parses as such.
        FlowDefinition canonical = FlowDefinition.parse(def.toJson());
        assertThat(FlowDefinition.isActivepiecesFormat(json(def.toJson()))).isFalse();
        assertThat(engine.run(canonical, TriggerPayload.ofBody(json("{\"name\":\"Bo\",\"count\":1}")), RunListener.NONE)
                .response().body()).isEqualTo(json("{\"message\":\"Hello Bo\",\"next\":2}"));
    }

    @Test
    void mathHelperRouterAndLoopTranslateAndRun() throws Exception {
        String flow = apFlow("""
                {"name":"step_1","type":"PIECE","settings":{"pieceName":"@activepieces/piece-math-helper","actionName":"addition_math",
                   "input":{"first_number":"{{trigger.body.a}}","second_number":3},
                   "errorHandlingOptions":{"retryOnFailure":{"value":true},"continueOnFailure":{"value":false}}},
                 "nextAction":{"name":"step_2","type":"ROUTER","settings":{"executionType":"EXECUTE_FIRST_MATCH","branches":[
                     {"branchName":"Big","branchType":"CONDITION","conditions":[[{"operator":"NUMBER_IS_GREATER_THAN","firstValue":"{{step_1}}","secondValue":"10","caseSensitive":false}]]},
                     {"branchName":"Otherwise","branchType":"FALLBACK"}]},
                   "children":[
                     {"name":"step_3","type":"LOOP_ON_ITEMS","settings":{"items":"{{trigger.body.items}}"},
                      "firstLoopAction":{"name":"step_4","type":"PIECE","settings":{"pieceName":"@activepieces/piece-math-helper",
                          "actionName":"multiplication_math","input":{"first_number":"{{step_3.item}}","second_number":"{{step_1}}"}}},
                      "nextAction":{"name":"step_5","type":"PIECE","settings":{"pieceName":"@activepieces/piece-webhook","actionName":"return_response",
                          "input":{"responseType":"json","body":{"status":201,"data":{"products":"{{step_3.iterations}}"}}}}}},
                     {"name":"step_6","type":"PIECE","settings":{"pieceName":"@activepieces/piece-webhook","actionName":"return_response",
                          "input":{"responseType":"raw","body":{"status":200,"headers":{"content-type":"text/plain"},"data":"small {{step_1}}"}}}}]}}""");
        FlowDefinition def = FlowDefinition.parse(flow);
        JsonNode canonical = json(def.toJson());
        assertThat(canonical.at("/steps/0/type").asText()).isEqualTo("math");
        assertThat(canonical.at("/steps/0/retry/maxAttempts").asInt()).isEqualTo(4);
        assertThat(canonical.at("/steps/1/type").asText()).isEqualTo("branch");
        assertThat(canonical.at("/steps/1/settings/branches/0/conditions/0/0/operator").asText()).isEqualTo("greater_than");

        FlowRun big = engine.run(def, TriggerPayload.ofBody(json("{\"a\":9,\"items\":[1,2]}")), RunListener.NONE);
        assertThat(big.status()).as(big.toJson().toString()).isEqualTo(RunStatus.SUCCEEDED);
        assertThat(big.response().status()).isEqualTo(201);
        assertThat(big.response().body()).isEqualTo(json("{\"products\":[{\"step_4\":12},{\"step_4\":24}]}"));

        FlowRun small = engine.run(def, TriggerPayload.ofBody(json("{\"a\":1,\"items\":[]}")), RunListener.NONE);
        assertThat(small.response().raw()).isTrue();
        assertThat(new String(small.response().bodyBytes())).isEqualTo("small 4");
    }

    @Test
    void olderReturnResponseShapesImportWithRespondAndContinue() throws Exception {
        ObjectNode oldest = piece("step_1", "@activepieces/piece-webhook", "return_response",
                "{\"response\":{\"got\":\"{{trigger.body.x}}\"},\"respond\":\"respond\"}",
                "{\"name\":\"step_2\",\"type\":\"CODE\",\"settings\":{\"input\":{},\"sourceCode\":{\"code\":\"export const code = async () => 'after';\"}}}");
        ObjectNode fields = piece("step_1", "@activepieces/piece-webhook", "return_response",
                "{\"responseType\":\"json\",\"fields\":{\"status\":202,\"headers\":{\"x-a\":\"b\"},\"body\":\"{\\\"ok\\\":true}\"},\"respond\":\"stop\"}", "null");

        FlowDefinition def = FlowDefinition.parse(apFlow(oldest.toString()));
        assertThat(json(def.toJson()).at("/steps/0/settings/mode").asText()).isEqualTo("respond_and_continue");
        FlowRun run = engine.run(def, TriggerPayload.ofBody(json("{\"x\":1}")), RunListener.NONE);
        assertThat(run.response().status()).isEqualTo(200);
        assertThat(run.response().body()).isEqualTo(json("{\"got\":1}"));
        assertThat(run.step("step_2").output().asText()).isEqualTo("after");

        FlowRun second = engine.run(FlowDefinition.parse(apFlow(fields.toString())), TriggerPayload.ofBody(json("{}")), RunListener.NONE);
        assertThat(second.response().status()).isEqualTo(202);
        assertThat(second.response().headers()).containsEntry("x-a", "b");
        assertThat(second.response().body()).isEqualTo(json("{\"ok\":true}"));
    }

    @Test
    void unknownPiecesAndStepTypesAreRefusedByName() throws Exception {
        ObjectNode slack = piece("step_1", "@activepieces/piece-slack", "send_message", "{\"text\":\"hi\"}",
                "{\"name\":\"step_2\",\"type\":\"APPROVAL\",\"settings\":{}}");
        InvalidFlowException e = catchThrowableOfType(InvalidFlowException.class, () -> FlowDefinition.parse(apFlow(slack.toString())));
        assertThat(e).isNotNull();
        assertThat(e.problems()).hasSize(2);
        assertThat(e.problems().get(0)).contains("step step_1").contains("@activepieces/piece-slack").contains("send_message")
                .contains("not supported");
        assertThat(e.problems().get(1)).contains("step step_2").contains("APPROVAL").contains("not supported");
    }

    @Test
    void unsupportedTriggerRedirectAndOperatorsAreRefused() throws Exception {
        String schedule = """
                {"trigger":{"name":"trigger","type":"PIECE_TRIGGER","settings":{"pieceName":"@activepieces/piece-schedule",
                  "triggerName":"every_hour","input":{}}}}""";
        assertThat(catchThrowableOfType(InvalidFlowException.class, () -> FlowDefinition.parse(schedule)).problems())
                .singleElement().asString().contains("@activepieces/piece-schedule/every_hour").contains("not supported");

        ObjectNode redirect = piece("step_1", "@activepieces/piece-webhook", "return_response",
                "{\"responseType\":\"redirect\",\"body\":{\"data\":\"https://example.com\"}}", "null");
        assertThat(catchThrowableOfType(InvalidFlowException.class, () -> FlowDefinition.parse(apFlow(redirect.toString()))).problems())
                .singleElement().asString().contains("redirect");

        String dateRouter = apFlow("""
                {"name":"step_1","type":"ROUTER","settings":{"executionType":"EXECUTE_FIRST_MATCH","branches":[
                   {"branchName":"a","branchType":"CONDITION","conditions":[[{"operator":"DATE_IS_AFTER","firstValue":"x","secondValue":"y"}]]},
                   {"branchName":"b","branchType":"FALLBACK"}]},"children":[null,null]}""");
        assertThat(catchThrowableOfType(InvalidFlowException.class, () -> FlowDefinition.parse(dateRouter)).problems())
                .anySatisfy(p -> assertThat(p).contains("DATE_IS_AFTER"));

        String npm = apFlow("""
                {"name":"step_1","type":"CODE","settings":{"input":{},"sourceCode":{"code":"export const code = async () => 1;",
                  "packageJson":"{\\"dependencies\\":{\\"lodash\\":\\"4.17.21\\"}}"}}}""");
        assertThat(catchThrowableOfType(InvalidFlowException.class, () -> FlowDefinition.parse(npm)).problems())
                .singleElement().asString().contains("npm dependencies").contains("lodash");
    }

    @Test
    void importedTemplatesAreValidatedLikeFlowfleetOnes() {
        String flow = apFlow("""
                {"name":"step_1","type":"CODE","settings":{"input":{"x":"{{step_9.value}}"},"sourceCode":{"code":"export const code = async () => 1;"}}}""");
        assertThat(catchThrowableOfType(InvalidFlowException.class, () -> FlowDefinition.parse(flow)).problems())
                .singleElement().asString().contains("{{step_9.value}}").contains("neither the trigger nor a step");
    }
}
