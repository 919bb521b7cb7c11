package io.flowfleet.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/** The app tier: flows API and webhooks (docs/architecture.md, docs/runtime.md). */
@SpringBootApplication
@EnableScheduling
public class FlowfleetApp {
    public static void main(String[] args) {
        SpringApplication.run(FlowfleetApp.class, args);
    }
}
