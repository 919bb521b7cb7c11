package io.flowfleet.core.flow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.flowfleet.core.bundle.OutputStore;
import io.flowfleet.core.store.StepOutputRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The one codec of each wire format: the trigger payload, a step run, a step's stored row. */
class WireCodecsTest {

    private static JsonNode json(String text) throws Exception {
        return Json.MAPPER.readTree(text);
    }

    @Test
    void triggerRoundTripsThroughTreeAndText() throws Exception {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("X-Id", "7");
        headers.put("Content-Type", "application/json");
        TriggerPayload t = new TriggerPayload("PUT", headers, Map.of("q", "a b"), json("{\"a\":[1,{\"b\":null}]}"));

        assertThat(TriggerPayload.fromJson(t.toJson())).isEqualTo(t);
        assertThat(TriggerPayload.fromJson(t.toJson().toString())).isEqualTo(t);
        assertThat(t.headers()).containsEntry("x-id", "7").containsEntry("content-type", "application/json");
    }

    @Test
    void theAppsTextFormReadsBackAsTheRecord() throws Exception {
        String text = TriggerPayload.toJson("POST", Map.of("X-Sig", "abc"), Map.of("k", "v"), "  {\"n\": 1} ", true);
        TriggerPayload read = TriggerPayload.fromJson(text);
        assertThat(read).isEqualTo(new TriggerPayload("POST", Map.of("x-sig", "abc"), Map.of("k", "v"), json("{\"n\":1}")));
        assertThat(json(text)).isEqualTo(read.toJson());

        // A body of another content type is a string, JSON-looking or not; blank is a null body.
        assertThat(TriggerPayload.fromJson(TriggerPayload.toJson("POST", Map.of(), Map.of(), "{\"n\":1}", false)).body())
                .isEqualTo(TextNode.valueOf("{\"n\":1}"));
        assertThat(TriggerPayload.fromJson(TriggerPayload.toJson("POST", null, null, "   ", true)).body()).isEqualTo(NullNode.getInstance());
        assertThat(TriggerPayload.fromJson(TriggerPayload.toJson(null, null, null, null, false)).method()).isEqualTo("POST");
    }

    @Test
    void missingPartsTakeTheirDefaults() throws Exception {
        TriggerPayload empty = new TriggerPayload("POST", Map.of(), Map.of(), NullNode.getInstance());
        assertThat(TriggerPayload.fromJson("{}")).isEqualTo(empty);
        assertThat(TriggerPayload.fromJson((String) null)).isEqualTo(empty);
        assertThat(TriggerPayload.fromJson("  ")).isEqualTo(empty);
        assertThat(TriggerPayload.fromJson(json("{\"method\":null,\"headers\":null,\"body\":null}"))).isEqualTo(empty);
        // headers that are not an object carry nothing
        assertThat(TriggerPayload.fromJson(json("{\"headers\":[\"a\"],\"queryParams\":\"x\"}"))).isEqualTo(empty);
    }

    @Test
    void nonStringHeaderValuesAreReadAsText() throws Exception {
        TriggerPayload t = TriggerPayload.fromJson(json(
                "{\"headers\":{\"N\":5,\"B\":true,\"O\":{\"a\":1},\"A\":[1,2],\"Z\":null},\"queryParams\":{\"p\":1.5}}"));
        assertThat(t.headers()).containsExactlyInAnyOrderEntriesOf(Map.of("n", "5", "b", "true", "o", "{\"a\":1}", "a", "[1,2]"));
        assertThat(t.queryParams()).containsExactlyEntriesOf(Map.of("p", "1.5"));
    }

    @Test
    void oddPayloadsAreRefusedWithAReason() {
        assertThatThrownBy(() -> TriggerPayload.fromJson("not json")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not JSON");
        assertThatThrownBy(() -> TriggerPayload.fromJson("[1]")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("JSON object");
    }

    @Test
    void deepAndLargeBodiesUnderTheLimitsReadBack() {
        // The deepest body the API accepts, inside the payload's envelope.
        String deep = "[".repeat(Json.MAX_NESTING_DEPTH) + "]".repeat(Json.MAX_NESTING_DEPTH);
        TriggerPayload read = TriggerPayload.fromJson(TriggerPayload.toJson("POST", Map.of(), Map.of(), deep, true));
        int depth = 0;
        for (JsonNode n = read.body(); n.isArray(); n = n.path(0)) depth++;
        assertThat(depth).isEqualTo(Json.MAX_NESTING_DEPTH);
        assertThat(TriggerPayload.fromJson(read.toJson())).isEqualTo(read);

        String large = "x".repeat(8 * 1024 * 1024);
        TriggerPayload big = TriggerPayload.fromJson(TriggerPayload.toJson("POST", Map.of(), Map.of(), "\"" + large + "\"", true));
        assertThat(big.body().textValue()).hasSize(large.length());
        assertThat(TriggerPayload.fromJson(big.toJson().toString()).body().textValue()).isEqualTo(large);
    }

    @Test
    void stepRunRoundTrips() throws Exception {
        StepRun failed = new StepRun("call", "http_request", StepStatus.FAILED, json("{\"url\":\"http://x\"}"),
                NullNode.getInstance(), "connection refused", 3, 1_234_567);
        assertThat(StepRun.fromJson(failed.toJson())).isEqualTo(failed);
        assertThat(StepRun.fromJson(json(failed.toJson().toString()))).isEqualTo(failed);

        StepRun ok = new StepRun("sum", "code", StepStatus.SUCCEEDED, json("{}"), json("{\"sum\":6}"), null, 1, 0);
        assertThat(StepRun.fromJson(ok.toJson())).isEqualTo(ok);
        // microseconds survive the millisecond form, however long the step took
        StepRun slow = new StepRun("wait", "delay", StepStatus.SUCCEEDED, json("{}"), json("{}"), null, 1, 86_400_000_000L + 1);
        assertThat(StepRun.fromJson(slow.toJson()).durationMicros()).isEqualTo(slow.durationMicros());
    }

    @Test
    void stepRunFromSparseOrBrokenJson() throws Exception {
        StepRun sparse = StepRun.fromJson(json("{\"name\":\"a\",\"type\":\"math\",\"status\":\"STOPPED\"}"));
        assertThat(sparse).isEqualTo(new StepRun("a", "math", StepStatus.STOPPED, NullNode.getInstance(), NullNode.getInstance(), null, 1, 0));
        assertThatThrownBy(() -> StepRun.fromJson(json("{\"type\":\"math\",\"status\":\"STOPPED\"}")))
                .hasMessageContaining("\"name\"");
        assertThatThrownBy(() -> StepRun.fromJson(json("{\"name\":\"a\",\"type\":\"math\",\"status\":\"DANCING\"}")))
                .hasMessageContaining("DANCING");
        assertThatThrownBy(() -> StepRun.fromJson(json("[]"))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void stepRowsPlaceLargeOutputsOnce() throws Exception {
        String big = "\"" + "y".repeat(40 * 1024) + "\"";
        assertThat(OutputStore.fitsInline(big)).isFalse();
        List<StepRun> steps = List.of(
                new StepRun("trigger", "trigger", StepStatus.SUCCEEDED, json("{}"), json("{\"a\":1}"), null, 1, 5),
                new StepRun("big", "code", StepStatus.SUCCEEDED, json("{}"), json(big), null, 1, 7),
                new StepRun("none", "code", StepStatus.FAILED, json("{}"), null, "boom", 2, 9));
        List<String> placed = new ArrayList<>();
        List<StepOutputRecord> rows = StepOutputRecord.fromSteps(steps, (position, output) -> {
            placed.add(position + ":" + output.length());
            return "runs/r/1/steps/" + position + ".json";
        });
        assertThat(rows).containsExactly(
                new StepOutputRecord(0, "trigger", "SUCCEEDED", "{\"a\":1}", null, null, 5),
                new StepOutputRecord(1, "big", "SUCCEEDED", null, "runs/r/1/steps/1.json", null, 7),
                new StepOutputRecord(2, "none", "FAILED", null, null, "boom", 9));
        assertThat(placed).containsExactly("1:" + big.length());
        assertThat(StepOutputRecord.fromSteps(steps, StepOutputRecord.LargeOutputs.LEAVE_OUT).get(1))
                .isEqualTo(new StepOutputRecord(1, "big", "SUCCEEDED", null, null, null, 7));
    }

    @Test
    void oneRunStatusForEngineAndStore() {
        assertThat(RunStatus.QUEUED.terminal()).isFalse();
        assertThat(RunStatus.RUNNING.terminal()).isFalse();
        assertThat(List.of(RunStatus.values()).stream().filter(RunStatus::terminal))
                .containsExactly(RunStatus.SUCCEEDED, RunStatus.FAILED, RunStatus.TIMEOUT, RunStatus.INTERNAL_ERROR,
                        RunStatus.LOG_SIZE_EXCEEDED, RunStatus.MEMORY_LIMIT);
    }
}
