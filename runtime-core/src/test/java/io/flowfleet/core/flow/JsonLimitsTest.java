package io.flowfleet.core.flow;

import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.flowfleet.core.config.RuntimeConfig;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The runtime's one mapper reads back what the app accepts, and refuses what the docs refuse. */
class JsonLimitsTest {

    static String nested(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    @Test
    void aStringLongerThanJacksonsDefaultRoundTrips() throws Exception {
        String big = "x".repeat(24_000_000); // Jackson's default refuses strings over 20,000,000 characters
        ObjectNode payload = Json.MAPPER.createObjectNode();
        payload.putObject("body").put("s", big);
        String stored = Json.MAPPER.writeValueAsString(payload);

        JsonNode back = Json.MAPPER.readTree(stored);
        assertThat(back.get("body").get("s").textValue()).hasSize(big.length());
        assertThat(Json.REQUEST_MAPPER.readTree(stored).get("body").get("s").textValue()).hasSize(big.length());
    }

    @Test
    void theLargestPayloadLimitFitsInOneString() {
        Map<String, String> env = new HashMap<>(Map.of("AP_POSTGRES_URL", "jdbc:postgresql://h/db", "AP_REDIS_URL", "redis://h:6379",
                "AP_S3_BUCKET", "b", "AP_MAX_WEBHOOK_PAYLOAD_SIZE_MB", "1024"));
        assertThat(RuntimeConfig.from(env).maxWebhookPayloadBytes()).isLessThanOrEqualTo(Json.MAX_STRING_LENGTH);
    }

    @Test
    void requestsNestUpToTheDocumentedDepthAndTheRuntimeWrapsThemSafely() throws Exception {
        JsonNode atLimit = Json.REQUEST_MAPPER.readTree(nested(Json.MAX_NESTING_DEPTH));
        assertThatThrownBy(() -> Json.REQUEST_MAPPER.readTree(nested(Json.MAX_NESTING_DEPTH + 1)))
                .isInstanceOfSatisfying(StreamConstraintsException.class, e -> assertThat(Json.limitMessage(e))
                        .isEqualTo("JSON nests deeper than 1000 levels of arrays and objects"));

        // The trigger payload, a run view, a sandbox message: a few levels around an accepted body.
        ObjectNode envelope = Json.MAPPER.createObjectNode();
        envelope.putObject("run").putArray("steps").addObject().putObject("output").set("body", atLimit);
        String text = Json.MAPPER.writeValueAsString(envelope);
        assertThat(Json.MAPPER.readTree(text)).isEqualTo(envelope);
    }

    @Test
    void longNumbersAndNamesAreRefusedWithAClearMessage() {
        assertThatThrownBy(() -> Json.REQUEST_MAPPER.readTree("[" + "9".repeat(Json.MAX_NUMBER_LENGTH + 1) + "]"))
                .isInstanceOfSatisfying(StreamConstraintsException.class,
                        e -> assertThat(Json.limitMessage(e)).contains("number is longer than 1000"));
    }
}
