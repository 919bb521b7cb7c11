package io.flowfleet.core.flow.step;

/** A step failed for a reason of the flow's own (bad input, HTTP error, JS error): the message says which. */
public class StepFailedException extends Exception {
    private final boolean retryable;

    public StepFailedException(String message) {
        this(message, true);
    }

    public StepFailedException(String message, boolean retryable) {
        super(message, null, false, false);
        this.retryable = retryable;
    }

    /** False when trying again cannot help (e.g. a division by zero of constants). */
    public boolean retryable() {
        return retryable;
    }
}
