package io.flowfleet.core.queue;

import java.time.Instant;

/**
 * A job handed to this consumer: ack it (by {@code messageId}) once its result is stored.
 * {@code reclaimed}: taken over from a consumer that stopped answering (XAUTOCLAIM).
 */
public record Delivery(String queue, String messageId, RunJob job, boolean reclaimed) {

    /** The app's job for a new run, delivered for the first time: no earlier attempt can exist. */
    public boolean firstDelivery() {
        return !reclaimed && !job.redelivery();
    }

    /** When the job entered the stream (its entry id is a Redis timestamp). */
    public Instant enqueuedAt() {
        return RunQueue.idTime(messageId);
    }
}
