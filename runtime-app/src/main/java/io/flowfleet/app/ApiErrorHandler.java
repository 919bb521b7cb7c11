package io.flowfleet.app;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

import java.util.Map;
import java.util.UUID;

/** Every error of the API as JSON {@code {"error", "message"}}; outages as 503 with {@code Retry-After}. */
@RestControllerAdvice
public class ApiErrorHandler {
    private static final Logger LOG = LoggerFactory.getLogger(ApiErrorHandler.class);

    static ResponseEntity<Map<String, String>> body(HttpStatus status, String code, String message) {
        ResponseEntity.BodyBuilder response = ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON);
        if (status == HttpStatus.SERVICE_UNAVAILABLE) response.header("Retry-After", Integer.toString(ErrorJson.RETRY_AFTER_SECONDS));
        return response.body(Map.of("error", code, "message", message == null ? "" : message));
    }

    @ExceptionHandler(ApiException.class)
    ResponseEntity<Map<String, String>> api(ApiException e) {
        return body(e.status(), e.code(), e.getMessage());
    }

    @ExceptionHandler(HttpMessageNotReadableException.class)
    ResponseEntity<Map<String, String>> unreadable(HttpMessageNotReadableException e) {
        String message = e.getMessage() != null && e.getMessage().startsWith("Required request body is missing")
                ? "the request needs a JSON body" : "the request body is not valid JSON";
        return body(HttpStatus.BAD_REQUEST, "BAD_REQUEST", message);
    }

    @ExceptionHandler({MissingServletRequestParameterException.class, MethodArgumentTypeMismatchException.class})
    ResponseEntity<Map<String, String>> badParameter(Exception e) {
        return body(HttpStatus.BAD_REQUEST, "BAD_REQUEST", e.getMessage());
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<Map<String, String>> method(HttpRequestMethodNotSupportedException e) {
        ResponseEntity<Map<String, String>> error = body(HttpStatus.METHOD_NOT_ALLOWED, "METHOD_NOT_ALLOWED", e.getMessage());
        return e.getSupportedHttpMethods() == null ? error
                : ResponseEntity.status(error.getStatusCode()).headers(h -> {
                    h.putAll(error.getHeaders());
                    h.setAllow(e.getSupportedHttpMethods());
                }).body(error.getBody());
    }

    @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
    ResponseEntity<Map<String, String>> mediaType(HttpMediaTypeNotSupportedException e) {
        return body(HttpStatus.UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE", e.getMessage());
    }

    @ExceptionHandler(NoResourceFoundException.class)
    ResponseEntity<Map<String, String>> noRoute(NoResourceFoundException e) {
        return body(HttpStatus.NOT_FOUND, "NOT_FOUND", "no such endpoint: /" + e.getResourcePath());
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<Map<String, String>> unexpected(Exception e) {
        ApiException outage = Outages.database(e);
        if (outage != null) {
            LOG.warn("request refused, Postgres is unreachable: {}", e.toString());
            return api(outage);
        }
        if (e instanceof ErrorResponse spring) {
            // Spring MVC's own refusals (406, 400 binding, ...): their status, our format.
            int status = spring.getStatusCode().value();
            String detail = spring.getBody().getDetail();
            return body(HttpStatus.valueOf(status), ErrorJson.code(status), detail == null ? ErrorJson.defaultMessage(status) : detail);
        }
        // Exception messages carry SQL, data excerpts and class names: they go to the log, under an incident id.
        UUID incident = UUID.randomUUID();
        LOG.error("request failed (incident {})", incident, e);
        return body(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR",
                "the request failed inside Flowfleet (incident " + incident + ", in the app's log)");
    }
}
