package dev.purser.task;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Task ids: UUID version 7 (RFC 9562), time-ordered and strictly increasing within this process,
 * so that tasks created in the same millisecond still list in creation order and the primary key
 * index is appended to rather than scattered.
 */
final class TaskIds {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static long lastMillis;
    private static long sequence; // 12 bits in rand_a

    private TaskIds() {
    }

    static synchronized String next() {
        long now = System.currentTimeMillis();
        if (now > lastMillis) {
            lastMillis = now;
            sequence = RANDOM.nextInt(1 << 10); // leave room to count up within the millisecond
        } else if (++sequence >= (1 << 12)) {
            lastMillis++; // borrow the next millisecond rather than repeat or go back
            sequence = 0;
        }
        long msb = (lastMillis << 16) | (0x7L << 12) | sequence;
        long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }
}
