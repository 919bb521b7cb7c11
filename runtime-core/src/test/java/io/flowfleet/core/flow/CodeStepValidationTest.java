package io.flowfleet.core.flow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A code step's code is parsed (never run) when the flow is: syntax errors are refused with step, line and column. */
class CodeStepValidationTest {

    private static String flow(String code) {
        ObjectNode flow = Json.MAPPER.createObjectNode();
        flow.putObject("trigger").put("name", "trigger").put("type", "webhook");
        ObjectNode step = flow.putArray("steps").addObject().put("name", "enrich").put("type", "code");
        step.putObject("settings").put("code", code);
        return flow.toString();
    }

    private static InvalidFlowException invalid(String code) {
        InvalidFlowException e = catchThrowableOfType(InvalidFlowException.class, () -> FlowDefinition.parse(flow(code)));
        assertThat(e).as("expected the flow to be refused").isNotNull();
        return e;
    }

    @Test
    void aSyntaxErrorIsRefusedWithStepLineAndColumn() {
        assertThat(invalid("export const code = async (inputs) => {\n  const x = inputs.a +;\n  return x;\n};").problems())
                .containsExactly("steps[0] (enrich, code): settings.code has a syntax error at line 2, column 23: "
                        + "Expected an operand but found ;");
    }

    @Test
    void codeThatClosesAWrapperIsJustASyntaxError() {
        assertThat(invalid("}); let __leak = []; (function () { const code = async (inputs) => { __leak.push(inputs.body); return __leak.length; };")
                .getMessage()).startsWith("steps[0] (enrich, code): settings.code has a syntax error at line 1, column 1:");
    }

    @Test
    void codeMustExportItsFunction() {
        assertThat(invalid("const code = async (inputs) => 1;").problems())
                .containsExactly("steps[0] (enrich, code): settings.code must export a function named code: "
                        + "export const code = async (inputs) => { ... }");
    }

    @Test
    void theDocumentedFormsParseAndNothingRunsAtParseTime() throws Exception {
        for (String code : new String[] {
                "export const code = async (inputs) => inputs.n + 1;",
                "export async function code(inputs) { return inputs.n; }",
                "export function code(inputs) { return [inputs.n]; }",
                "export default (inputs) => inputs.n + 1;",
                "const code = (inputs) => 'listed';\nexport { code };",
                "while (true) {}\nexport const code = () => 1;"}) {         // parsed, never evaluated
            assertThat(FlowDefinition.parse(flow(code)).steps()).hasSize(1);
        }
    }
}
