package io.flowfleet.core.flow.step;

/**
 * A code step asked for more memory than code may have; the run ends {@code MEMORY_LIMIT}, whatever
 * the step's retry and continue-on-failure settings (trying again would only do it again).
 */
public final class MemoryLimitExceeded extends Exception {
    public MemoryLimitExceeded(String message) {
        super(message, null, false, false);
    }
}
