package io.flowfleet.core.queue;

import java.time.Instant;

/**
 * A queue's consumer group as Redis reports it. {@code waiting} jobs were never delivered,
 * {@code pending} were delivered and not yet acknowledged. {@code deliveredUpTo} is the time of the
 * last delivered entry (stream ids are Redis timestamps), or null when none was.
 */
public record QueueState(String queue, long waiting, long pending, Instant deliveredUpTo) {
    public long depth() {
        return waiting + pending;
    }
}
