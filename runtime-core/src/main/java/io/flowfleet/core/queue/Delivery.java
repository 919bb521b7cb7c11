package io.flowfleet.core.queue;

/** A job handed to this consumer: ack it (by {@code messageId}) once its result is stored. */
public record Delivery(String queue, String messageId, RunJob job) {
}
