package io.flowfleet.core.sandbox;

/** A code call did not return a value: the JS threw, or a limit stopped it. */
public class CodeException extends Exception {

    public enum Kind {
        /** The code threw (or did not compile); the message holds the JS error and its stack. */
        ERROR,
        /** The wall-clock watchdog stopped it. */
        TIMEOUT,
        /** It executed more statements than allowed. */
        STATEMENT_LIMIT,
        /**
         * It asked for more memory than code may have: one allocation over the per-allocation cap, the
         * memory guard cancelled it when the heap filled up, or the heap ran out under it.
         */
        MEMORY_LIMIT,
        /** Its result could not be used (not JSON, too large, promise never settled). */
        BAD_RESULT
    }

    private final Kind kind;

    public CodeException(Kind kind, String message) {
        super(message, null, false, false);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }
}
