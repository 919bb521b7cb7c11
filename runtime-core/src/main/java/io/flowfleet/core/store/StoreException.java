package io.flowfleet.core.store;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** A database call failed; wraps the SQLException with what was being done. */
public class StoreException extends RuntimeException {
    public StoreException(String doing, Throwable cause) {
        super(doing + " failed: " + cause.getMessage(), cause);
    }

    /**
     * True when Postgres could not be reached or went away (no connection, connection lost, server
     * shutting down or crashed), as opposed to a statement it refused: worth waiting for, not a bug.
     */
    public boolean unavailable() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLTransientConnectionException) return true;
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("08") || sql.getSQLState().startsWith("57P"))) return true;
        }
        return false;
    }

    /**
     * True when Postgres refused the data itself (SQLState class 22, e.g. U+0000 in jsonb text, a number
     * out of range; or 54, a program limit such as a jsonb too large): the same write fails every time.
     */
    public boolean dataRefused() {
        for (Throwable t = getCause(); t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && sql.getSQLState() != null
                    && (sql.getSQLState().startsWith("22") || sql.getSQLState().startsWith("54"))) return true;
        }
        return false;
    }
}
