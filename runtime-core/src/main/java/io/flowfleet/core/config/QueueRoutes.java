package io.flowfleet.core.config;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Tenant routing from AP_QUEUE_ROUTES ({@code projectA=groupX,projectB=groupX}): a project listed here
 * goes to its worker group's queue, every other project to {@value #DEFAULT_QUEUE}.
 */
public record QueueRoutes(Map<String, String> projectToQueue) {
    public static final String DEFAULT_QUEUE = "default";
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    public QueueRoutes {
        projectToQueue = Map.copyOf(projectToQueue);
    }

    public static QueueRoutes none() {
        return new QueueRoutes(Map.of());
    }

    /** Parses {@code project=queue} pairs separated by commas; blank means no routes. */
    public static QueueRoutes parse(String spec) {
        Map<String, String> routes = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) return new QueueRoutes(routes);
        for (String pair : spec.split(",")) {
            String trimmed = pair.trim();
            if (trimmed.isEmpty()) continue;
            int eq = trimmed.indexOf('=');
            if (eq <= 0 || eq == trimmed.length() - 1) {
                throw new IllegalArgumentException("'" + trimmed + "' is not project=queue");
            }
            String project = trimmed.substring(0, eq).trim();
            String queue = trimmed.substring(eq + 1).trim();
            if (!NAME.matcher(queue).matches()) {
                throw new IllegalArgumentException("queue name '" + queue + "' must match " + NAME.pattern());
            }
            String previous = routes.put(project, queue);
            if (previous != null && !previous.equals(queue)) {
                throw new IllegalArgumentException("project '" + project + "' is routed to both '" + previous + "' and '" + queue + "'");
            }
        }
        return new QueueRoutes(routes);
    }

    public String queueFor(String projectId) {
        return projectToQueue.getOrDefault(projectId, DEFAULT_QUEUE);
    }
}
