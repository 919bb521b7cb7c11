package io.flowfleet.app;

import io.flowfleet.contract.RuntimeSettings;
import io.flowfleet.core.config.RuntimeConfig;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletMapping;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.boot.actuate.autoconfigure.security.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.security.core.context.SecurityContextHolderStrategy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;
import org.springframework.security.web.util.matcher.RequestMatcher;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Enumeration;

/**
 * Who may call what, decided by Spring Security on the request as the servlet container routes it,
 * never on the raw URI:
 * <ul>
 *   <li>{@link StrictHttpFirewall} first refuses every ambiguous spelling (encoded slashes, backslashes
 *       and periods, dot segments, {@code //}, {@code ;} path parameters, control characters, unknown
 *       methods) with a JSON 400, so the path the rules see is the path the handlers see;</li>
 *   <li>open: calls that Tomcat hands to the webhook servlet (whatever they look like, that servlet only
 *       runs webhooks), and the actuator's health and prometheus endpoints (probes, scraping);</li>
 *   <li>everything else, including paths that exist nowhere, needs exactly one {@code X-API-Key: $AP_API_KEY}
 *       header (compared in constant time): 401 JSON without it, with another value, or with two of them.</li>
 * </ul>
 * Stateless: no session, no CSRF token (no cookies are used), no login page, no basic auth.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSecurity
public class ApiSecurity {
    static final String HEADER = "X-API-Key";
    private static final String KEY_MISMATCH = ApiSecurity.class.getName() + ".mismatch";

    /** Requests Tomcat routes to the webhook servlet, by its registration name (see {@link WebhookEndpoint}). */
    static final RequestMatcher WEBHOOK_SERVLET = request -> {
        HttpServletMapping mapping = request.getHttpServletMapping();
        return mapping != null && WebhookEndpoint.SERVLET_NAME.equals(mapping.getServletName());
    };

    @Bean
    HttpFirewall httpFirewall() {
        StrictHttpFirewall firewall = new StrictHttpFirewall();
        // Paths and methods stay strict. Header and query values only reach a flow as JSON data (never
        // a path, never echoed raw), and webhook senders put tabs, newlines (Slack-style text=a%0Ab) and
        // UTF-8 bytes (seen as C1 controls) there: accept what Tomcat accepts, minus NUL, CR and LF in headers.
        firewall.setAllowedHeaderValues(value -> value.indexOf('\0') < 0 && value.indexOf('\r') < 0 && value.indexOf('\n') < 0);
        firewall.setAllowedParameterValues(value -> true);
        return firewall;
    }

    @Bean
    RequestRejectedHandler requestRejectedHandler() {
        return (request, response, rejected) -> ErrorJson.write(response, 400, "BAD_REQUEST",
                "the request was refused: " + rejected.getMessage());
    }

    /** Webhooks: open, and kept light (they are the hot path): no headers, no authentication. */
    @Bean
    @Order(1)
    SecurityFilterChain webhooks(HttpSecurity http) throws Exception {
        return stateless(http.securityMatcher(WEBHOOK_SERVLET))
                .headers(AbstractHttpConfigurer::disable)
                .anonymous(AbstractHttpConfigurer::disable)
                .servletApi(AbstractHttpConfigurer::disable)
                .authorizeHttpRequests(rules -> rules.anyRequest().permitAll())
                .build();
    }

    /** Everything else: the API key, except health and metrics; deny by default. */
    @Bean
    @Order(2)
    SecurityFilterChain api(HttpSecurity http, RuntimeConfig config) throws Exception {
        return stateless(http)
                .addFilterBefore(new ApiKeyFilter(config.apiKey()), AnonymousAuthenticationFilter.class)
                .authorizeHttpRequests(rules -> rules
                        // The /error page renders errors of requests already decided on.
                        .dispatcherTypeMatchers(DispatcherType.ERROR).permitAll()
                        .requestMatchers(EndpointRequest.to("health", "prometheus")).permitAll()
                        .anyRequest().authenticated())
                .build();
    }

    private static HttpSecurity stateless(HttpSecurity http) throws Exception {
        AuthenticationEntryPoint unauthorized = (request, response, e) -> ErrorJson.write(response, 401, "UNAUTHORIZED",
                request.getAttribute(KEY_MISMATCH) instanceof String mismatch ? mismatch
                        : "this endpoint needs the " + HEADER + " header (" + RuntimeSettings.ENV_VAR_API_KEY + ")");
        AccessDeniedHandler forbidden = (request, response, e) -> ErrorJson.write(response, 403, "FORBIDDEN", "access denied");
        return http
                .csrf(AbstractHttpConfigurer::disable)
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(AbstractHttpConfigurer::disable)
                .securityContext(c -> c.requireExplicitSave(true))
                .formLogin(AbstractHttpConfigurer::disable)
                .httpBasic(AbstractHttpConfigurer::disable)
                .logout(AbstractHttpConfigurer::disable)
                .exceptionHandling(e -> e.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden));
    }

    /** An authenticated caller of the management API. */
    static final class ApiKeyAuthentication extends AbstractAuthenticationToken {
        ApiKeyAuthentication() {
            super(AuthorityUtils.createAuthorityList("ROLE_API"));
            setAuthenticated(true);
        }

        @Override
        public Object getCredentials() {
            return "";
        }

        @Override
        public Object getPrincipal() {
            return "api-key";
        }
    }

    /** Authenticates a request whose {@value #HEADER} equals AP_API_KEY; leaves the rest to the rules. */
    static final class ApiKeyFilter extends OncePerRequestFilter {
        private final byte[] expected;
        private final SecurityContextHolderStrategy contexts = SecurityContextHolder.getContextHolderStrategy();

        ApiKeyFilter(String apiKey) {
            this.expected = apiKey.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                throws ServletException, IOException {
            Enumeration<String> headers = request.getHeaders(HEADER);
            String given = headers != null && headers.hasMoreElements() ? headers.nextElement() : null;
            if (given != null) {
                // Exactly one header: with two, the proxies and servers on the way may each read another one.
                boolean single = !headers.hasMoreElements();
                // Time depends on the expected key's length only, not on how much of it matched.
                if (MessageDigest.isEqual(expected, given.getBytes(StandardCharsets.UTF_8)) && single) {
                    var context = contexts.createEmptyContext();
                    context.setAuthentication(new ApiKeyAuthentication());
                    contexts.setContext(context);
                } else {
                    request.setAttribute(KEY_MISMATCH, single ? "the " + HEADER + " header does not match " + RuntimeSettings.ENV_VAR_API_KEY
                            : "send exactly one " + HEADER + " header");
                }
            }
            try {
                chain.doFilter(request, response);
            } finally {
                contexts.clearContext();
            }
        }
    }
}
