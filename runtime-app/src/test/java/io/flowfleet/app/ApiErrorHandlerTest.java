package io.flowfleet.app;

import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A bug's details (SQL, data, class names) stay in the log: the caller reads an incident id. */
class ApiErrorHandlerTest {

    @Test
    void anUnexpectedFailureDoesNotQuoteItsException() {
        ResponseEntity<Map<String, String>> r = new ApiErrorHandler().unexpected(
                new IllegalStateException("storing run x failed: ERROR: invalid input syntax\n  Detail: secret-data"));
        assertThat(r.getStatusCode().value()).isEqualTo(500);
        assertThat(r.getBody()).containsEntry("error", "INTERNAL_ERROR");
        assertThat(r.getBody().get("message")).doesNotContain("secret-data").doesNotContain("ERROR:").containsPattern("incident [0-9a-f-]{36}");
    }
}
