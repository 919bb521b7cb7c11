package io.flowfleet.core.flow;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.math.BigDecimal;

/**
 * The one Jackson mapper of the runtime (app, worker, sandbox protocol; tree model only: no
 * reflection per step), with limits that match the documented ones (docs/architecture.md, "Limits"),
 * instead of Jackson's defaults (20,000,000-character strings), so that anything the app accepted
 * the worker can read back:
 * <ul>
 *   <li>strings as long as Java allows: the byte limits of each entry point decide what is too large
 *       (AP_MAX_WEBHOOK_PAYLOAD_SIZE_MB, up to 1,024 MB, for bodies; AP_MAX_FLOW_RUN_LOG_SIZE_MB, up to
 *       4,096 MB, for code results and step outputs: LOG_SIZE_EXCEEDED), never Jackson's 20 M default;</li>
 *   <li>nesting: JSON the API accepts (webhook bodies, flow definitions; {@link #REQUEST_MAPPER}) up to
 *       {@value #MAX_NESTING_DEPTH} levels of arrays and objects; the runtime's own documents wrap such a
 *       body in a few levels (trigger payload, sandbox protocol, run views), so {@link #MAPPER} reads
 *       and writes {@value #ENVELOPE_DEPTH} more;</li>
 *   <li>numbers up to {@value #MAX_NUMBER_LENGTH} characters, property names up to {@value #MAX_NAME_LENGTH}.</li>
 * </ul>
 * Documents themselves are bounded by the byte limits of each entry point, not here.
 */
public final class Json {
    /** As long as a Java string can be: the entry points' byte limits are the real bounds. */
    public static final int MAX_STRING_LENGTH = Integer.MAX_VALUE;
    public static final int MAX_NESTING_DEPTH = 1000;
    public static final int ENVELOPE_DEPTH = 24;
    public static final int MAX_NUMBER_LENGTH = 1000;
    public static final int MAX_NAME_LENGTH = 50_000;

    static {
        // Jackson's process-wide defaults too, before any factory below is built: JsonNode.toString() (used
        // all over to write outputs) and every factory made later get the runtime's limits, not Jackson's
        // 1,000 levels and 20,000,000 characters.
        StreamReadConstraints.overrideDefaultStreamReadConstraints(readConstraints(MAX_NESTING_DEPTH + ENVELOPE_DEPTH));
        StreamWriteConstraints.overrideDefaultStreamWriteConstraints(writeConstraints(MAX_NESTING_DEPTH + ENVELOPE_DEPTH));
    }

    /** Streaming parsers and generators with the same limits as {@link #MAPPER}. */
    public static final JsonFactory FACTORY = factory(MAX_NESTING_DEPTH + ENVELOPE_DEPTH);
    /** The runtime's mapper: stored payloads, step outputs, results, queue and sandbox messages. */
    public static final ObjectMapper MAPPER = JsonMapper.builder(FACTORY).build();

    /** Streaming parsers with the limits of {@link #REQUEST_MAPPER}. */
    public static final JsonFactory REQUEST_FACTORY = factory(MAX_NESTING_DEPTH);
    /** For JSON from outside (request bodies): the documented nesting limit exactly. */
    public static final ObjectMapper REQUEST_MAPPER = JsonMapper.builder(REQUEST_FACTORY).build();

    private static JsonFactory factory(int maxDepth) {
        return JsonFactory.builder()
                .streamReadConstraints(readConstraints(maxDepth))
                .streamWriteConstraints(writeConstraints(maxDepth))
                .build();
    }

    private static StreamReadConstraints readConstraints(int maxDepth) {
        return StreamReadConstraints.builder()
                .maxStringLength(MAX_STRING_LENGTH)
                .maxNestingDepth(maxDepth)
                .maxNumberLength(MAX_NUMBER_LENGTH)
                .maxNameLength(MAX_NAME_LENGTH)
                .build();
    }

    private static StreamWriteConstraints writeConstraints(int maxDepth) {
        return StreamWriteConstraints.builder().maxNestingDepth(maxDepth).build();
    }

    /** Loads this class, which sets Jackson's process-wide defaults; call first thing in a main(). */
    public static void install() {
        // The static initializer did the work.
    }

    /** A reader's message for a broken limit, naming the limit rather than Jackson's classes. */
    public static String limitMessage(StreamConstraintsException e) {
        String m = String.valueOf(e.getMessage());
        if (m.contains("nesting depth")) return "JSON nests deeper than " + MAX_NESTING_DEPTH + " levels of arrays and objects";
        if (m.contains("String value length")) return "a JSON string is longer than " + MAX_STRING_LENGTH + " characters";
        if (m.contains("Number value length")) return "a JSON number is longer than " + MAX_NUMBER_LENGTH + " characters";
        if (m.contains("Name length")) return "a JSON property name is longer than " + MAX_NAME_LENGTH + " characters";
        return "JSON exceeds a size limit";
    }

    /**
     * Why the run store (Postgres {@code jsonb}) cannot keep the JSON value at the parser's current token
     * as the caller sent it, or null when it can; reads to the end of that value. JSON allows what jsonb
     * refuses: U+0000 and unpaired UTF-16 surrogates (both only reachable through {@code \\u} escapes, so
     * {@code checkStrings} may be false when the text has no backslash-u), and numbers outside Postgres
     * numeric. jsonb also writes numbers out in full ({@code 1e5} reads back as {@code 100000}), so a
     * number longer than {@value #MAX_NUMBER_LENGTH} characters once written out would be refused when read back.
     */
    public static String unstorable(JsonParser p, boolean checkStrings) throws IOException {
        int depth = 0;
        JsonToken t = p.currentToken();
        while (t != null) {
            switch (t) {
                case START_OBJECT, START_ARRAY -> depth++;
                case END_OBJECT, END_ARRAY -> depth--;
                case FIELD_NAME, VALUE_STRING -> {
                    if (checkStrings) {
                        String why = unstorable(p.getTextCharacters(), p.getTextOffset(), p.getTextLength());
                        if (why != null) return (t == JsonToken.FIELD_NAME ? "a property name " : "a string ") + why;
                    }
                }
                case VALUE_NUMBER_FLOAT -> {
                    String why = unstorableNumber(p.getText());
                    if (why != null) return why;
                }
                default -> {
                    // integers: at most MAX_NUMBER_LENGTH digits already, and written back as they came
                }
            }
            if (depth == 0) return null;
            t = p.nextToken();
        }
        return null;
    }

    /**
     * Why the run store cannot keep this tree (a step output, a response), or null when it can: the
     * same rules as {@link #unstorable(JsonParser, boolean)}, walked over the tree (a non-finite double
     * counts as a number out of range).
     */
    public static String unstorable(JsonNode node) {
        if (node == null) return null;
        try (JsonParser p = node.traverse()) {
            p.nextToken();
            return unstorable(p, true);
        } catch (IOException e) {
            return "it cannot be read back as JSON: " + e.getMessage();
        }
    }

    /** The text with what jsonb cannot keep (U+0000, unpaired surrogates) replaced by U+FFFD: for messages. */
    public static String storableText(String text) {
        if (text == null || unstorable(text) == null) return text;
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean bad = unstorableAt(c, i > 0 ? text.charAt(i - 1) : 0, i + 1 < text.length() ? text.charAt(i + 1) : 0) != null;
            out.append(bad ? '\uFFFD' : c);
        }
        return out.toString();
    }

    /** Why jsonb cannot keep this text (a string or property name), or null when it can. */
    public static String unstorable(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            String why = unstorableAt(text.charAt(i), i > 0 ? text.charAt(i - 1) : 0, i + 1 < text.length() ? text.charAt(i + 1) : 0);
            if (why != null) return why;
        }
        return null;
    }

    private static String unstorable(char[] chars, int offset, int length) {
        int end = offset + length;
        for (int i = offset; i < end; i++) {
            char c = chars[i];
            if (c != 0 && !Character.isSurrogate(c)) continue;
            String why = unstorableAt(c, i > offset ? chars[i - 1] : 0, i + 1 < end ? chars[i + 1] : 0);
            if (why != null) return why;
        }
        return null;
    }

    private static String unstorableAt(char c, char before, char after) {
        if (c == 0) return "holds U+0000, which Postgres cannot store";
        if (Character.isHighSurrogate(c) && !Character.isLowSurrogate(after)
                || Character.isLowSurrogate(c) && !Character.isHighSurrogate(before)) {
            return "holds an unpaired UTF-16 surrogate (\\u" + String.format("%04x", (int) c) + "), which is not a character";
        }
        return null;
    }

    /** Why jsonb cannot keep this JSON number so that it reads back, or null when it can. */
    public static String unstorableNumber(String number) {
        BigDecimal value;
        try {
            value = new BigDecimal(number);
        } catch (NumberFormatException | ArithmeticException e) {
            return "a JSON number's exponent is out of range: " + abbreviate(number);
        }
        // Postgres keeps the scale it was given and prints every digit: sign, integer digits, '.', fraction.
        int scale = value.scale();
        long integerDigits = value.signum() == 0 ? 1 : Math.max(1, (long) value.precision() - scale);
        long fractionDigits = Math.max(0, scale);
        long written = fractionDigits == 0 ? integerDigits : (value.signum() < 0 ? 1 : 0) + integerDigits + 1 + fractionDigits;
        if (written > MAX_NUMBER_LENGTH) {
            return "a JSON number would be longer than " + MAX_NUMBER_LENGTH + " characters written out in full ("
                    + abbreviate(number) + "; the run store keeps numbers in full)";
        }
        return null;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    private Json() {
    }
}
