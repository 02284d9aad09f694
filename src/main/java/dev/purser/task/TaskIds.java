package dev.purser.task;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Task ids: UUID version 7 (RFC 9562), time-ordered and strictly increasing within this process,
 * so that tasks created in the same millisecond still list in creation order and the primary key
 * index is appended to rather than scattered.
 */
final class TaskIds {

    /**
     * Created on first use, not in the static initializer: the native image runs static
     * initializers at build time, which would bake one seed into every binary (and the builder
     * refuses a SecureRandom in the image heap). Guarded by the class lock like the rest.
     */
    private static SecureRandom random;
    private static long lastMillis;
    private static long sequence; // 12 bits in rand_a

    private TaskIds() {
    }

    static synchronized String next() {
        SecureRandom r = random;
        if (r == null) {
            r = random = new SecureRandom();
        }
        long now = System.currentTimeMillis();
        if (now > lastMillis) {
            lastMillis = now;
            sequence = r.nextInt(1 << 10); // leave room to count up within the millisecond
        } else if (++sequence >= (1 << 12)) {
            lastMillis++; // borrow the next millisecond rather than repeat or go back
            sequence = 0;
        }
        long msb = (lastMillis << 16) | (0x7L << 12) | sequence;
        long lsb = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
