package io.flowfleet.core.flow;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

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

    private Json() {
    }
}
