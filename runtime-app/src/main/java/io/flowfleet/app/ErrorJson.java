package io.flowfleet.app;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The app's one error format, {@code {"error": CODE, "message": text}}, for the writers that are not
 * Spring MVC handlers: the webhook servlet, Spring Security's entry points and firewall, the /error
 * page and Tomcat's own error reports.
 */
final class ErrorJson {
    /** Seconds a 503 asks the caller to wait before trying again ({@code Retry-After}). */
    static final int RETRY_AFTER_SECONDS = 5;

    private ErrorJson() {
    }

    static String body(String code, String message, UUID runId) {
        return "{\"error\":\"" + quote(code) + "\",\"message\":\"" + quote(message == null ? "" : message) + "\""
                + (runId == null ? "" : ",\"runId\":\"" + runId + "\"") + "}";
    }

    private static String quote(String s) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(s));
    }

    /** Writes the error unless the response is already committed. */
    static void write(HttpServletResponse response, int status, String code, String message) throws IOException {
        if (response.isCommitted()) return;
        response.resetBuffer();
        byte[] body = body(code, message, null).getBytes(StandardCharsets.UTF_8);
        response.setStatus(status);
        if (status == 503) response.setHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
        response.flushBuffer();
    }

    /** The code of an HTTP status that no handler named: {@code 405} → {@code METHOD_NOT_ALLOWED}. */
    static String code(int status) {
        return switch (status) {
            case 400 -> "BAD_REQUEST";
            case 401 -> "UNAUTHORIZED";
            case 403 -> "FORBIDDEN";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 406 -> "NOT_ACCEPTABLE";
            case 408 -> "TIMEOUT";
            case 413 -> "PAYLOAD_TOO_LARGE";
            case 414 -> "URI_TOO_LONG";
            case 415 -> "UNSUPPORTED_MEDIA_TYPE";
            case 431 -> "HEADERS_TOO_LARGE";
            case 500 -> "INTERNAL_ERROR";
            case 501 -> "NOT_IMPLEMENTED";
            case 503 -> "SERVICE_UNAVAILABLE";
            case 505 -> "HTTP_VERSION_NOT_SUPPORTED";
            default -> {
                org.springframework.http.HttpStatus known = org.springframework.http.HttpStatus.resolve(status);
                yield known == null ? "HTTP_" + status : known.name();
            }
        };
    }

    /** A message for a status that came without one. */
    static String defaultMessage(int status) {
        return switch (status) {
            case 400 -> "the request is malformed";
            case 404 -> "no such endpoint";
            case 405 -> "this endpoint does not take that method";
            case 413 -> "the request is too large";
            case 414 -> "the request URI is too long";
            case 415 -> "this endpoint does not take that content type";
            case 431 -> "the request headers are too large";
            case 505 -> "only HTTP/1.1 and HTTP/2 are served";
            default -> {
                org.springframework.http.HttpStatus known = org.springframework.http.HttpStatus.resolve(status);
                yield known == null ? "HTTP status " + status : known.getReasonPhrase();
            }
        };
    }
}
