package io.flowfleet.app;

import io.flowfleet.core.config.RuntimeConfig;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** The management API (flows and runs) needs {@code X-API-Key: $AP_API_KEY}; webhooks do not. */
@Component
public class ApiKeyFilter extends OncePerRequestFilter {
    static final String HEADER = "X-API-Key";
    private final byte[] expected;

    public ApiKeyFilter(RuntimeConfig config) {
        this.expected = config.apiKey().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI();
        return !(path.startsWith("/api/v1/flows") || path.startsWith("/api/v1/runs"));
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String given = request.getHeader(HEADER);
        if (given == null || !MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8))) {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setContentType("application/json");
            response.getWriter().write(given == null
                    ? "{\"error\":\"UNAUTHORIZED\",\"message\":\"the management API needs the X-API-Key header (AP_API_KEY)\"}"
                    : "{\"error\":\"UNAUTHORIZED\",\"message\":\"the X-API-Key header does not match AP_API_KEY\"}");
            return;
        }
        chain.doFilter(request, response);
    }
}
