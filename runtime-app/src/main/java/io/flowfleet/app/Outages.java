package io.flowfleet.app;

import org.springframework.http.HttpStatus;

import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;

/**
 * Tells a Postgres outage from a bug, so that the caller hears 503 DATABASE_UNAVAILABLE with
 * {@code Retry-After} instead of a 500 (and, with the app's 2 s pool timeout, within seconds instead
 * of after ten). Redis outages are answered where the job is enqueued ({@link WebhookServlet}).
 */
final class Outages {
    private Outages() {
    }

    /** The 503 for {@code e} when Postgres could not be reached, else null. */
    static ApiException database(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLTransientException || t instanceof SQLNonTransientConnectionException
                    || t instanceof SQLRecoverableException || (t instanceof SQLException s && connectionState(s.getSQLState()))) {
                return new ApiException(HttpStatus.SERVICE_UNAVAILABLE, "DATABASE_UNAVAILABLE",
                        "Postgres is unreachable; try again later");
            }
            if (t.getCause() == t) break;
        }
        return null;
    }

    /** SQLSTATE classes of a lost or refused connection: 08 (connection), 57P (shutdown, cannot connect now), 53300 (too many connections). */
    private static boolean connectionState(String state) {
        return state != null && (state.startsWith("08") || state.startsWith("57P") || state.equals("53300"));
    }
}
