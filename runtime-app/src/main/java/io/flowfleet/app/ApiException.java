package io.flowfleet.app;

import org.springframework.http.HttpStatus;

/** An error answered as JSON {@code {"error": code, "message": text}} with its HTTP status. */
public class ApiException extends RuntimeException {
    private final HttpStatus status;
    private final String code;

    public ApiException(HttpStatus status, String code, String message) {
        super(message);
        this.status = status;
        this.code = code;
    }

    public HttpStatus status() {
        return status;
    }

    public String code() {
        return code;
    }

    static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, "NOT_FOUND", what);
    }

    static ApiException gone(String what) {
        return new ApiException(HttpStatus.GONE, "GONE", what);
    }

    static ApiException badRequest(String what) {
        return new ApiException(HttpStatus.BAD_REQUEST, "BAD_REQUEST", what);
    }
}
