package io.flowfleet.core.sandbox;

import java.time.Duration;

/**
 * @param reuseContexts  AP_REUSE_SANDBOX: reuse the engine and compiled code, with fresh contexts prepared
 *                       ahead in the background; false: each run creates its context when it needs one. Either
 *                       way a context serves one run only.
 * @param callTimeout    wall-clock limit of one code call (the watchdog interrupts, then cancels)
 * @param statementLimit JS statements one code call may execute
 */
public record SandboxOptions(boolean reuseContexts, Duration callTimeout, long statementLimit) {
}
