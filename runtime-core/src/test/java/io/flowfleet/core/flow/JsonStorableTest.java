package io.flowfleet.core.flow;

import com.fasterxml.jackson.core.JsonParser;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Postgres jsonb can keep: no U+0000, no unpaired surrogate, numbers that Postgres numeric holds
 * and that still read back once written out in full (jsonb prints 1e5 as 100000).
 */
class JsonStorableTest {

    private static String check(String json) throws IOException {
        try (JsonParser p = Json.REQUEST_FACTORY.createParser(json)) {
            p.nextToken();
            String why = Json.unstorable(p, true);
            // A storable value is read to its end; a refusal may stop at the first problem.
            if (why == null) assertThat(p.nextToken()).as("the whole value was read: %s", json).isNull();
            return why;
        }
    }

    @Test
    void stringsThatJsonbRefusesAreNamed() throws IOException {
        for (String json : List.of("\"\\u0000\"", "{\"a\":[\"x\\u0000\"]}", "{\"\\u0000\":1}", "[\"\\ud800\"]", "[\"\\udc00\"]",
                "[\"\\udc00\\ud800\"]", "[\"a\\ud83d\"]", "[\"\\ude00x\"]")) {
            assertThat(check(json)).as(json).isNotNull();
        }
        for (String json : List.of("\"\\ud83d\\ude00\"", "[\"\\\\u0000\"]", "{\"a\":\"\\ufffe\\uffff\"}", "[\"é€𝄞\"]", "null", "[]", "{}")) {
            assertThat(check(json)).as(json).isNull();
        }
        assertThat(Json.unstorable("a\0b")).contains("U+0000");
        assertThat(Json.unstorable("\uD83D\uDE00 ok")).isNull();
        assertThat(Json.unstorable("\uDE00")).contains("surrogate");
    }

    @Test
    void numbersMustReadBackOnceWrittenOutInFull() throws IOException {
        for (String n : List.of("1e1000", "1e-999", "1.5e-998", "0e-99999", "1e131072", "-1e131072", "1e9999999999", "0.00e-999",
                "1000e-1001")) {
            assertThat(check("[" + n + "]")).as(n).isNotNull();
        }
        for (String n : List.of("1e999", "-1e999", "1e300", "-1.5e-300", "0.5", "-0.0", "1E+2", "123.456e3", "0e10", "1e-997")) {
            assertThat(check("[" + n + "]")).as(n).isNull();
            // Written out as Postgres writes it, the runtime's mapper still reads it.
            String plain = new BigDecimal(n).toPlainString();
            assertThat(Json.MAPPER.readTree(plain).isNumber()).as(plain).isTrue();
            assertThat(Json.MAPPER.readTree(plain.getBytes(StandardCharsets.UTF_8)).isNumber()).as(plain).isTrue();
        }
    }
}
