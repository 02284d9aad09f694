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
}
