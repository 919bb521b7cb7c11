package io.flowfleet.core.flow.step;

import com.fasterxml.jackson.databind.JsonNode;
import io.flowfleet.core.flow.FlowResponse;
import io.flowfleet.core.sandbox.CodeException;

import java.net.http.HttpClient;
import java.util.List;

/** What a running step may use: the run it belongs to. */
public interface StepContext {

    /** Runs a nested chain (branch, loop body); returns normally unless the run must stop. */
    void runChain(List<Step> chain) throws Exception;

    /** Sets a step's output as templates see it (e.g. a loop's current item). */
    void setOutput(String stepName, JsonNode output);

    /** The output of a step, or null. */
    JsonNode output(String stepName);

    /** Hands the response to the caller; {@code stop} ends the run after this step. */
    void respond(FlowResponse response, boolean stop);

    /** True once a respond-and-stop step answered: chains end. */
    boolean stopped();

    /** Milliseconds left before the flow run limit. */
    long remainingMillis();

    /** Sleeps, bounded by the run limit (throws the run's timeout when it is reached). */
    void sleep(long millis) throws Exception;

    /**
     * Runs a code step's code in this run's JS context (compiled code cached by the flow's cache key and
     * step name), bounded by the run's remaining time; returns its result as JSON text.
     */
    String callCode(String stepName, String code, String inputJson) throws CodeException;

    HttpClient httpClient();

    /** The largest http_request response body or step output, in bytes (AP_MAX_FILE_SIZE_MB). */
    long maxFileSizeBytes();

    /**
     * A key for the current execution of {@code stepName} that stays the same when the run is
     * delivered again (derived from the run id, the step name and, for a step that runs more than
     * once in a run such as in a loop, its execution number), so a receiver can drop repeats.
     */
    String idempotencyKey(String stepName);
}
