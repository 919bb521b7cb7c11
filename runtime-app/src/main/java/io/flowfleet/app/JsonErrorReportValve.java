package io.flowfleet.app;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Tomcat's own error reports (a malformed request line or header, an invalid URI, a method the
 * connector refuses: errors that never reach Spring) in the app's JSON format instead of Tomcat's
 * HTML page. Installed on the Host in place of {@link ErrorReportValve} by {@link ErrorPages}.
 */
public class JsonErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        // Same rules as Tomcat's valve: only errors, only when nothing was written yet, only once.
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) return;
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) return;
        String message = response.getMessage();
        if (message == null || message.isBlank()) message = ErrorJson.defaultMessage(status);
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding("utf-8");
            if (status == 503) response.setHeader("Retry-After", Integer.toString(ErrorJson.RETRY_AFTER_SECONDS));
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                writer.write(ErrorJson.body(ErrorJson.code(status), message, null));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The connection is gone; nothing to report to.
        }
    }
}
