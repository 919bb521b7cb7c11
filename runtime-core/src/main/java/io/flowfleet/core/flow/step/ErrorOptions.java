package io.flowfleet.core.flow.step;

import java.time.Duration;

/**
 * What a step does when it fails.
 *
 * @param maxAttempts       1 = no retry; at most {@link #MAX_ATTEMPTS}
 * @param backoff           wait before the first retry; doubles per retry
 * @param maxBackoff        cap of one wait
 * @param continueOnFailure the run goes on after the step failed (its output is then null)
 */
public record ErrorOptions(int maxAttempts, Duration backoff, Duration maxBackoff, boolean continueOnFailure) {
    public static final int MAX_ATTEMPTS = 10;
    public static final Duration MAX_BACKOFF = Duration.ofSeconds(60);
    public static final ErrorOptions NONE = new ErrorOptions(1, Duration.ZERO, Duration.ZERO, false);

    /** The wait before attempt number {@code attempt} (2 = first retry). */
    public Duration backoffBefore(int attempt) {
        long millis = backoff.toMillis();
        for (int i = 2; i < attempt && millis < maxBackoff.toMillis(); i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, maxBackoff.toMillis()));
    }
}
