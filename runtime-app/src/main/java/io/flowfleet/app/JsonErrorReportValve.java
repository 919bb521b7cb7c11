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
 * HTML page, and a JSON body for any error status that a handler answered with no body at all.
 * Installed on the Host in place of {@link ErrorReportValve} by {@link ErrorPages}.
 */
public class JsonErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0) return;
        if (response.isError()) {
            // Same rules as Tomcat's valve for sendError: only when nothing was written yet, only once.
            if (!response.setErrorReported()) return;
        } else if ("HEAD".equals(request.getMethod())) {
            return;
        }
        // Else an error status set with no body at all (the actuator's 404 for an unknown health
        // component): the JSON body too, while nothing is committed (Tomcat calls report() only then).
        AtomicBoolean ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) return;
        String message = response.getMessage();
        if (message == null || message.isBlank()) {
            message = status == 404 ? "no such endpoint: " + request.getRequestURI() : ErrorJson.defaultMessage(status);
        }
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
