package io.flowfleet.app;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.catalina.Container;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Valve;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.web.embedded.tomcat.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.error.ErrorController;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/**
 * Errors that no controller answered, in the API's format: the servlet container's error page
 * ({@code /error}, replacing Spring Boot's whitelabel/BasicErrorController body) and Tomcat's own
 * reports ({@link JsonErrorReportValve}).
 */
@Configuration(proxyBeanMethods = false)
public class ErrorPages {

    /** Swaps Tomcat's HTML ErrorReportValve on the Host for the JSON one. */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> jsonErrorReports() {
        return factory -> factory.addContextCustomizers(context -> {
            Container host = context.getParent();
            if (host instanceof StandardHost standardHost) standardHost.setErrorReportValveClass(JsonErrorReportValve.class.getName());
            // The Host adds its report valve when it starts, before its contexts start; Spring Boot may add
            // another one itself. Keep only ours.
            context.addLifecycleListener(event -> {
                if (!Lifecycle.BEFORE_START_EVENT.equals(event.getType())) return;
                boolean ours = false;
                for (Valve valve : host.getPipeline().getValves()) {
                    if (valve instanceof JsonErrorReportValve) ours = true;
                    else if (valve instanceof ErrorReportValve) host.getPipeline().removeValve(valve);
                }
                if (!ours) host.getPipeline().addValve(new JsonErrorReportValve());
            });
        });
    }

    /** {@code /error}: where the container forwards {@code sendError} calls (405 of the webhook servlet, 404, 500, ...). */
    @RestController
    static class JsonErrorController implements ErrorController {
        @RequestMapping("${server.error.path:${error.path:/error}}")
        ResponseEntity<Map<String, String>> error(HttpServletRequest request) {
            Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
            if (!(code instanceof Integer status)) {
                // Asked for directly, not forwarded by the container.
                return ApiErrorHandler.body(HttpStatus.NOT_FOUND, "NOT_FOUND", "no such endpoint: " + request.getRequestURI());
            }
            Object exception = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
            if (exception instanceof Throwable t) {
                ApiException outage = Outages.database(t);
                if (outage != null) return ApiErrorHandler.body(outage.status(), outage.code(), outage.getMessage());
            }
            Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
            String text = message instanceof String s && !s.isBlank() && status < 500 ? s : ErrorJson.defaultMessage(status);
            HttpStatus known = HttpStatus.resolve(status);
            if (known == null) known = status >= 500 ? HttpStatus.INTERNAL_SERVER_ERROR : HttpStatus.BAD_REQUEST;
            return ApiErrorHandler.body(known, ErrorJson.code(status), text);
        }
    }
}
