package io.flowfleet.chaos;

/**
 * The flows the suite runs. Each side-effecting step calls the {@link HitCounter} with the run's
 * marker ({@code body.key} of the webhook payload), so every execution of a step is counted.
 */
final class ChaosFlows {

    /** How long the long flow's delay step waits: long enough for SIGTERM and SIGKILL to land mid-run. */
    static final int LONG_DELAY_MILLIS = 4_000;

    private ChaosFlows() {
    }

    /** Two HTTP effects around a code step, answering {"key", "n"}: a few milliseconds of work. */
    static String quick(String counterUrl) {
        return """
                {"name": "chaos-quick",
                 "trigger": {"name": "trigger", "type": "webhook"},
                 "steps": [
                   %s,
                   {"name": "compute", "type": "code",
                    "settings": {"input": {"k": "{{trigger.body.key}}"},
                                 "code": "export const code = async (inputs) => inputs.k.length;"}},
                   %s,
                   {"name": "respond", "type": "return_response",
                    "settings": {"status": 200, "body": {"key": "{{trigger.body.key}}", "n": "{{compute}}"}}}
                 ]}
                """.formatted(effect(counterUrl, "effect_a"), effect(counterUrl, "effect_b"));
    }

    /** An HTTP effect, a delay of {@value #LONG_DELAY_MILLIS} ms, another HTTP effect, then the answer. */
    static String longRunning(String counterUrl) {
        return """
                {"name": "chaos-long",
                 "trigger": {"name": "trigger", "type": "webhook"},
                 "steps": [
                   %s,
                   {"name": "wait", "type": "delay", "settings": {"millis": %d}},
                   %s,
                   {"name": "respond", "type": "return_response",
                    "settings": {"status": 200, "body": {"key": "{{trigger.body.key}}", "long": true}}}
                 ]}
                """.formatted(effect(counterUrl, "effect_start"), LONG_DELAY_MILLIS, effect(counterUrl, "effect_end"));
    }

    private static String effect(String counterUrl, String step) {
        return """
                {"name": "%s", "type": "http_request",
                 "settings": {"url": "%s%s", "method": "POST",
                              "queryParams": {"key": "{{trigger.body.key}}"},
                              "body": {"key": "{{trigger.body.key}}"}}}""".formatted(step, counterUrl, step);
    }
}
