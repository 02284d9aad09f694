package dev.purser.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;
import org.junit.jupiter.api.Test;

class TaskIdsTest {

    @Test
    void idsAreVersion7AndStrictlyIncreasing() {
        String previous = TaskIds.next();
        for (int i = 0; i < 20_000; i++) {
            String next = TaskIds.next();
            assertTrue(next.compareTo(previous) > 0, previous + " then " + next);
            UUID u = UUID.fromString(next);
            assertEquals(7, u.version());
            assertEquals(2, u.variant());
            previous = next;
        }
    }

    @Test
    void randomIdsAreVersion4AndDistinctAcrossBlocks() {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < 2_000; i++) { // 256 ids a block: several refills
            UUID u = UUID.fromString(TaskIds.random());
            assertEquals(4, u.version());
            assertEquals(2, u.variant());
            assertTrue(seen.add(u.toString()), "repeated " + u);
        }
    }
}
