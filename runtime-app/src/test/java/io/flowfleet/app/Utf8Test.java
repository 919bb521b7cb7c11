package io.flowfleet.app;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The strict UTF-8 check agrees with the JDK's reporting decoder (RFC 3629) on every input. */
class Utf8Test {

    private static boolean jdkAccepts(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    @Test
    void knownBadSequencesAreRefusedAtTheirOffset() {
        byte[][] bad = {
                {(byte) 0xC3, 0x28}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xC1, (byte) 0xBF}, {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},
                {(byte) 0xF0, (byte) 0x80, (byte) 0x80, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xF5, (byte) 0x80, (byte) 0x80, (byte) 0x80},
                {(byte) 0xFF}, {(byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0xF0, (byte) 0x9F, (byte) 0x98}};
        for (byte[] b : bad) {
            byte[] text = new byte[b.length + 2];
            text[0] = 'a';
            text[1] = 'b';
            System.arraycopy(b, 0, text, 2, b.length);
            assertThat(Utf8.firstInvalid(text)).as(java.util.HexFormat.of().formatHex(b)).isEqualTo(2);
            assertThat(jdkAccepts(text)).isFalse();
        }
        assertThatThrownBy(() -> Utf8.decode(new byte[] {'{', (byte) 0xC3, 0x28}, "the body"))
                .isInstanceOf(ApiException.class).hasMessageContaining("UTF-8").hasMessageContaining("0xC3 at offset 1");
    }

    @Test
    void wellFormedTextPasses() {
        String text = "plain é € 𝄞 ÿ \u07FF \u0800 \uFFFD \uD7FF \uE000 \uDBFF\uDFFF";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        assertThat(Utf8.firstInvalid(bytes)).isEqualTo(-1);
        assertThat(Utf8.decode(bytes, "x")).isEqualTo(text);
    }

    @Test
    void agreesWithTheJdkOnRandomBytes() {
        Random random = new Random(42);
        byte[] alphabet = {0x41, 0x7F, (byte) 0x80, (byte) 0x8F, (byte) 0x90, (byte) 0x9F, (byte) 0xA0, (byte) 0xBF, (byte) 0xC0,
                (byte) 0xC1, (byte) 0xC2, (byte) 0xDF, (byte) 0xE0, (byte) 0xE1, (byte) 0xEC, (byte) 0xED, (byte) 0xEE, (byte) 0xEF,
                (byte) 0xF0, (byte) 0xF1, (byte) 0xF3, (byte) 0xF4, (byte) 0xF5, (byte) 0xFF};
        for (int i = 0; i < 200_000; i++) {
            byte[] b = new byte[1 + random.nextInt(6)];
            for (int k = 0; k < b.length; k++) b[k] = alphabet[random.nextInt(alphabet.length)];
            assertThat(Utf8.firstInvalid(b) < 0).as(java.util.HexFormat.of().formatHex(b)).isEqualTo(jdkAccepts(b));
        }
    }
}
