package io.flowfleet.core.store;

/** A database call failed; wraps the SQLException with what was being done. */
public class StoreException extends RuntimeException {
    public StoreException(String doing, Throwable cause) {
        super(doing + " failed: " + cause.getMessage(), cause);
    }
}
