package dev.purser.task;

import java.security.SecureRandom;
import java.util.UUID;

/**
 * Task ids: UUID version 7 (RFC 9562), time-ordered and strictly increasing within this process,
 * so that tasks created in the same millisecond still list in creation order and the primary key
 * index is appended to rather than scattered. Also the random (version 4) ids of contexts,
 * messages and artifacts.
 *
 * <p>The random bits come from a {@link SecureRandom} in blocks: a draw per id (the platform's
 * NativePRNG reads the kernel's source and mixes it under a lock on every call) was a few percent
 * of a free task's CPU; a block serves many ids from the same generator.
 */
final class TaskIds {

    private static final int BLOCK_BYTES = 4096;

    /**
     * Created on first use, not in the static initializer: the native image runs static
     * initializers at build time, which would bake one seed into every binary (and the builder
     * refuses a SecureRandom in the image heap). Guarded by the class lock like the rest.
     */
    private static SecureRandom random;
    private static byte[] block;
    private static int used;
    private static long lastMillis;
    private static long sequence; // 12 bits in rand_a

    private TaskIds() {
    }

    static String next() {
        long msb;
        long lsb;
        synchronized (TaskIds.class) {
            long now = System.currentTimeMillis();
            if (now > lastMillis) {
                lastMillis = now;
                sequence = randomLong() & 0x3FF; // leave room to count up within the millisecond
            } else if (++sequence >= (1 << 12)) {
                lastMillis++; // borrow the next millisecond rather than repeat or go back
                sequence = 0;
            }
            msb = (lastMillis << 16) | (0x7L << 12) | sequence;
            lsb = (randomLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        }
        return new UUID(msb, lsb).toString();
    }

    /** A random UUID (version 4, 122 random bits), as {@link UUID#randomUUID()} makes one. */
    static String random() {
        long msb;
        long lsb;
        synchronized (TaskIds.class) {
            msb = randomLong();
            lsb = randomLong();
        }
        msb = (msb & ~0xF000L) | 0x4000L;
        lsb = (lsb & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(msb, lsb).toString();
    }

    /** The next 64 random bits of the block; holds the class lock. */
    private static long randomLong() {
        if (block == null || used == BLOCK_BYTES) {
            if (random == null) {
                random = new SecureRandom();
                block = new byte[BLOCK_BYTES];
            }
            random.nextBytes(block);
            used = 0;
        }
        long v = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            v = (v << 8) | (block[used + i] & 0xFF);
        }
        used += Long.BYTES;
        return v;
    }
}
