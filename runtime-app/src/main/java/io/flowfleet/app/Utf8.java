package io.flowfleet.app;

import java.nio.charset.StandardCharsets;

/**
 * Strict UTF-8 (RFC 3629) for JSON bodies: Java's {@code new String(bytes, UTF_8)} replaces a bad
 * sequence with U+FFFD and carries on, which would store something the caller never sent. Rejects
 * stray continuation bytes, truncated sequences, overlong forms (C0 80, E0 80 80, ...), UTF-16
 * surrogates (ED A0 80 ...) and code points above U+10FFFF.
 */
final class Utf8 {
    private Utf8() {
    }

    /** The text of {@code bytes}. @throws ApiException 400 at the first byte that is not valid UTF-8 */
    static String decode(byte[] bytes, String what) {
        int bad = firstInvalid(bytes);
        if (bad >= 0) {
            throw ApiException.badRequest(what + " is not valid UTF-8: byte 0x"
                    + String.format("%02X", bytes[bad] & 0xFF) + " at offset " + bad + " does not start a valid sequence");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Offset of the first byte that does not start a well-formed sequence, or -1 when all is well-formed. */
    static int firstInvalid(byte[] b) {
        int i = 0;
        int n = b.length;
        while (i < n) {
            int c = b[i] & 0xFF;
            if (c < 0x80) {
                i++;
                continue;
            }
            int more;
            int lo = 0x80;
            int hi = 0xBF;
            if (c >= 0xC2 && c <= 0xDF) {
                more = 1;
            } else if (c == 0xE0) {
                more = 2;
                lo = 0xA0; // below: overlong
            } else if (c == 0xED) {
                more = 2;
                hi = 0x9F; // above: UTF-16 surrogates
            } else if (c >= 0xE1 && c <= 0xEF) {
                more = 2;
            } else if (c == 0xF0) {
                more = 3;
                lo = 0x90; // below: overlong
            } else if (c >= 0xF1 && c <= 0xF3) {
                more = 3;
            } else if (c == 0xF4) {
                more = 3;
                hi = 0x8F; // above: beyond U+10FFFF
            } else {
                return i; // 80..C1 (continuation or overlong lead), F5..FF
            }
            if (i + more >= n) return i;
            int second = b[i + 1] & 0xFF;
            if (second < lo || second > hi) return i;
            for (int k = 2; k <= more; k++) {
                int next = b[i + k] & 0xFF;
                if (next < 0x80 || next > 0xBF) return i;
            }
            i += more + 1;
        }
        return -1;
    }
}
