package io.flowfleet.core.sandbox;

import java.time.Duration;

/**
 * @param reuseContexts  keep JS contexts between runs (AP_REUSE_SANDBOX); runs never see each other's state
 * @param callTimeout    wall-clock limit of one code call (the watchdog interrupts, then cancels)
 * @param statementLimit JS statements one code call may execute
 */
public record SandboxOptions(boolean reuseContexts, Duration callTimeout, long statementLimit) {
}
