package io.flowfleet.core.flow;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one Jackson mapper of the engine (tree model only: no reflection per step). */
public final class Json {
    /**
     * Strings as long as Java allows: the run log limit (AP_MAX_FLOW_RUN_LOG_SIZE_MB, up to 4 GiB), not
     * Jackson's 20 M default, decides when a code result or a step output is too large (LOG_SIZE_EXCEEDED).
     */
    public static final ObjectMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxStringLength(Integer.MAX_VALUE).build())
            .build()).build();

    private Json() {
    }
}
