package io.flowfleet.core.store;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Run ids: UUID version 7 (millisecond time prefix, random rest), so new runs land at the right
 * edge of the primary key index instead of scattering over it. Ids are unique, not secret.
 */
public final class RunIds {
    private RunIds() {
    }

    public static UUID next() {
        long millis = System.currentTimeMillis();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (millis << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low);
    }
}
