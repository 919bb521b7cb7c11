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
