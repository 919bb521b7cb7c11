package io.flowfleet.app;

import io.flowfleet.core.flow.Json;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.security.servlet.UserDetailsServiceAutoConfiguration;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The app tier: flows API and webhooks (docs/architecture.md, docs/runtime.md). */
/** No user store: the API key is the only credential (see {@link ApiSecurity}). */
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@EnableScheduling
public class FlowfleetApp {
    public static void main(String[] args) {
        Json.install(); // Jackson's defaults get the runtime's limits before anything parses JSON
        SpringApplication.run(FlowfleetApp.class, args);
    }
}
