package io.flowfleet.core.flow;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Each validation error, with the message a flow author reads. No engine needed. */
class FlowValidationTest {

    private static InvalidFlowException invalid(String flowJson) {
        InvalidFlowException e = catchThrowableOfType(InvalidFlowException.class, () -> FlowDefinition.parse(flowJson));
        assertThat(e).as("expected the flow to be refused").isNotNull();
        return e;
    }

    private static InvalidFlowException invalidSteps(String stepsJson) {
        return invalid("{\"trigger\":{\"name\":\"trigger\",\"type\":\"webhook\"},\"steps\":" + stepsJson + "}");
    }

    @Test
    void notJsonOrNotAnObject() {
        assertThat(invalid("{").problems()).singleElement().asString().startsWith("flow is not valid JSON");
        assertThat(invalid("[1]").problems()).containsExactly("a flow must be a JSON object");
    }

    @Test
    void missingTriggerOrSteps() {
        assertThat(invalid("{}").problems()).contains(
                "trigger is required: {\"name\": \"trigger\", \"type\": \"webhook\"}",
                "steps is required: an array of steps after the trigger");
    }

    @Test
    void unknownTriggerType() {
        assertThat(invalid("{\"trigger\":{\"type\":\"schedule\"},\"steps\":[]}").problems())
                .containsExactly("trigger: unknown trigger type \"schedule\" (supported: webhook)");
    }

    @Test
    void unknownStepType() {
        assertThat(invalidSteps("[{\"name\":\"s1\",\"type\":\"send_email\",\"settings\":{}}]").problems())
                .singleElement().asString()
                .isEqualTo("steps[0] (s1, send_email): unknown step type \"send_email\" (one of branch, code, delay, "
                        + "http_request, loop, math, return_response)");
    }

    @Test
    void duplicateNames() {
        assertThat(invalidSteps("""
                [{"name":"s1","type":"math","settings":{"operation":"add","a":1,"b":2}},
                 {"name":"s1","type":"math","settings":{"operation":"add","a":1,"b":2}}]""").problems())
                .containsExactly("steps[1] (s1, math): duplicate name \"s1\"");
        assertThat(invalidSteps("[{\"name\":\"trigger\",\"type\":\"delay\",\"settings\":{\"millis\":1}}]").problems())
                .anySatisfy(p -> assertThat(p).contains("duplicate name \"trigger\""));
    }

    @Test
    void duplicateNamesInsideNestedChains() {
        assertThat(invalidSteps("""
                [{"name":"l","type":"loop","settings":{"items":[1],"steps":[
                   {"name":"x","type":"delay","settings":{"millis":1}}]}},
                 {"name":"x","type":"delay","settings":{"millis":1}}]""").problems())
                .containsExactly("steps[1] (x, delay): duplicate name \"x\"");
    }

    @Test
    void templatePointingAtALaterStep() {
        assertThat(invalidSteps("""
                [{"name":"first","type":"math","settings":{"operation":"add","a":"{{second}}","b":2}},
                 {"name":"second","type":"math","settings":{"operation":"add","a":1,"b":2}}]""").problems())
                .containsExactly("steps[0] (first, math): template {{second}} refers to \"second\", which does not come before this step");
    }

    @Test
    void templatePointingAtNothingOrItself() {
        assertThat(invalidSteps("""
                [{"name":"first","type":"math","settings":{"operation":"add","a":"{{ghost.value}}","b":"{{first}}"}}]""").problems())
                .containsExactly(
                        "steps[0] (first, math): template {{ghost.value}} refers to \"ghost\", which is neither the trigger nor a step",
                        "steps[0] (first, math): template {{first}} refers to this step itself");
    }

    @Test
    void templateThatIsNotAPath() {
        assertThat(invalidSteps("""
                [{"name":"first","type":"math","settings":{"operation":"add","a":"{{trigger.body.x + 1}}","b":"{{trigger.body.y"}}]""").problems())
                .containsExactly(
                        "steps[0] (first, math).settings.a: template {{trigger.body.x + 1}} has an empty or spaced field name",
                        "steps[0] (first, math).settings.b: template \"{{trigger.body.y\" has no closing }}");
    }

    @Test
    void missingRequiredSettings() {
        assertThat(invalidSteps("""
                [{"name":"m","type":"math","settings":{"a":1}},
                 {"name":"c","type":"code"},
                 {"name":"h","type":"http_request","settings":{"method":"FETCH"}},
                 {"name":"d","type":"delay","settings":{}},
                 {"name":"l","type":"loop","settings":{}},
                 {"name":"b","type":"branch","settings":{}}]""").problems())
                .containsExactly(
                        "steps[0] (m, math): settings.operation is required (one of add, divide, modulo, multiply, subtract)",
                        "steps[0] (m, math): settings.b is required",
                        "steps[1] (c, code): settings.code is required",
                        "steps[2] (h, http_request): settings.method is \"FETCH\"; expected one of DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT",
                        "steps[2] (h, http_request): settings.url is required",
                        "steps[3] (d, delay): settings.millis is required",
                        "steps[4] (l, loop): settings.items is required",
                        "steps[4] (l, loop): settings.steps is required (an array of steps)",
                        "steps[5] (b, branch): settings.branches is required");
    }

    @Test
    void badSettingsAndErrorOptions() {
        assertThat(invalidSteps("""
                [{"name":"r","type":"return_response","settings":{"status":42,"mode":"later","colour":"red"}},
                 {"name":"x","type":"delay","settings":{"millis":1},"retry":{"maxAttempts":50},"continueOnFailure":"yes"},
                 {"name":"br","type":"branch","settings":{"branches":[{"name":"a","conditions":[{"left":1,"operator":"resembles","right":2}],"steps":[]}]}}]""")
                .problems())
                .containsExactly(
                        "steps[0] (r, return_response): unknown setting \"colour\" (allowed: body, bodyType, headers, mode, status)",
                        "steps[0] (r, return_response): settings.status must be an HTTP status (100-599)",
                        "steps[0] (r, return_response): settings.mode is \"later\"; expected one of respond_and_continue, respond_and_stop",
                        "steps[1] (x, delay): continueOnFailure must be true or false",
                        "steps[1] (x, delay): retry.maxAttempts must be a whole number from 1 to 10",
                        "steps[2] (br, branch): settings.branches[0].conditions[0].operator \"resembles\" is not one of "
                                + "contains, ends_with, equals, exists, greater_or_equal, greater_than, is_empty, is_false, "
                                + "is_not_empty, is_true, less_or_equal, less_than, not_contains, not_equals, not_exists, starts_with");
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        InvalidFlowException e = invalidSteps("""
                [{"type":"math"},{"name":"bad name","type":"nope"},{"name":"ok","type":"delay","settings":{"millis":"{{later}}"}},
                 {"name":"later","type":"delay","settings":{"millis":1}}]""");
        assertThat(e.problems()).hasSize(4);
        assertThat(e.getMessage()).startsWith("invalid flow: ");
    }

    @Test
    void nestedStepsMayReadTheirLoopAndLaterStepsMayReadNestedOnes() throws Exception {
        FlowDefinition def = FlowDefinition.parse("""
                {"trigger":{"name":"trigger","type":"webhook"},"steps":[
                  {"name":"each","type":"loop","settings":{"items":"{{trigger.body.list}}","steps":[
                     {"name":"inner","type":"math","settings":{"operation":"add","a":"{{each.item}}","b":1}}]}},
                  {"name":"after","type":"math","settings":{"operation":"add","a":"{{inner}}","b":1}}]}""");
        assertThat(def.steps()).hasSize(2);
    }

    @Test
    void canonicalJsonRoundTrips() throws Exception {
        FlowDefinition def = FlowDefinition.parse("""
                {"name":"round","trigger":{"name":"trigger","type":"webhook"},"steps":[
                  {"name":"a","type":"math","settings":{"operation":"add","a":1,"b":"{{trigger.body.n}}"},"retry":{"maxAttempts":2}}]}""");
        FlowDefinition again = FlowDefinition.parse(def.toJson());
        assertThat(again.toJson()).isEqualTo(def.toJson());
        assertThat(again.name()).isEqualTo("round");
        assertThat(again.steps().getFirst().errorOptions().maxAttempts()).isEqualTo(2);
        assertThatThrownBy(() -> FlowDefinition.parse(def.toJson().replace("\"math\"", "\"maths\"")))
                .isInstanceOf(InvalidFlowException.class);
    }
}
