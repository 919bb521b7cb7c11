package io.flowfleet.core.config;

import java.util.List;

/** One or more AP_* settings are missing or malformed; the message lists every problem at once. */
public class ConfigException extends RuntimeException {
    private final List<String> problems;

    public ConfigException(List<String> problems) {
        super("Invalid Flowfleet configuration:\n  - " + String.join("\n  - ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
