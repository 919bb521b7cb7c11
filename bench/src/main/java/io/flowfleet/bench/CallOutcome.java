package io.flowfleet.bench;

/** One webhook call: how long it took and whether it answered what the flow should answer. */
record CallOutcome(long nanos, boolean ok, String error) {

    static CallOutcome success(long nanos) {
        return new CallOutcome(nanos, true, null);
    }

    static CallOutcome failure(long nanos, String error) {
        return new CallOutcome(nanos, false, error);
    }
}
