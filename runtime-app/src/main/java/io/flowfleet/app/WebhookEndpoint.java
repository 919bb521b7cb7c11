package io.flowfleet.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowfleet.core.config.RuntimeConfig;
import io.flowfleet.core.queue.ReplyChannel;
import io.flowfleet.core.queue.RunQueue;
import io.flowfleet.core.store.FlowStore;
import io.flowfleet.core.store.RunStore;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.io.IOException;

/** Mounts {@link WebhookServlet} on /api/v1/webhooks/*, beside Spring MVC's dispatcher. */
@Configuration(proxyBeanMethods = false)
public class WebhookEndpoint {
    /** The servlet's registration name: {@link ApiSecurity} opens exactly what Tomcat routes to it. */
    static final String SERVLET_NAME = "webhooks";

    @Bean
    ServletRegistrationBean<WebhookServlet> webhookServlet(RunStore runs, FlowStore flows, RunQueue queue, ReplyChannel replies,
                                                           WebhookMetrics metrics, RuntimeConfig config, ObjectMapper json)
            throws IOException {
        ServletRegistrationBean<WebhookServlet> registration = new ServletRegistrationBean<>(
                new WebhookServlet(runs, flows, queue, replies, metrics, config, json), WebhookServlet.PREFIX + "*");
        registration.setName(SERVLET_NAME);
        registration.setLoadOnStartup(1);
        return registration;
    }
}
