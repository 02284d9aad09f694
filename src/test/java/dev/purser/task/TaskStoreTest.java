package dev.purser.task;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.Part;
import dev.purser.a2a.spec.Role;
import dev.purser.a2a.spec.StreamEvent;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.TaskState;
import dev.purser.a2a.spec.TaskStatus;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

@QuarkusTest
class TaskStoreTest {

    @Inject
    TaskStore store;

    @Inject
    TaskEventLog eventLog;

    private static Task task(String text) {
        String id = TaskIds.next();
        Message m = new Message(UUID.randomUUID().toString(), Role.USER, List.of(Part.text(text)),
                "ctx", id, null, null, null);
        return new Task(id, "ctx", new TaskStatus(TaskState.SUBMITTED, null, Instant.now()),
                List.of(m), List.of(), null);
    }

    private void insert(String owner, Task t) {
        store.insert(owner, t, "echo", List.of(new StreamEvent.OfTask(t)), null, null);
    }

    private static List<StreamEvent> status(Task t) {
        return List.of(new StreamEvent.StatusUpdate(t.id(), t.contextId(), t.status()));
    }

    @Test
    void concurrentInsertsAreEachStoredBeforeTheirCallerReturns() throws Exception {
        String owner = "store-test-" + UUID.randomUUID();
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            List<Future<String>> ids = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                int n = i;
                ids.add(pool.submit(() -> {
                    Task t = task("t" + n);
                    insert(owner, t);
                    // visible to another connection the moment insert returns: committed
                    assertTrue(store.find(owner, t.id()).isPresent());
                    return t.id();
                }));
            }
            for (Future<String> f : ids) {
                StoredTask st = store.find(owner, f.get()).orElseThrow();
                assertEquals(1, st.version());
                assertEquals("echo", st.skill());
                assertEquals(1, eventLog.events(f.get(), 1).size(), "the task's first event is stored with it");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailedInsertIsReportedToItsCaller() {
        Task t = task("dup");
        insert("dup-owner", t);
        assertThrows(TaskStore.StoreException.class, () -> insert("dup-owner", t));
    }

    @Test
    void anUpdateNamingAStaleVersionChangesNothing() {
        Task t = task("v");
        insert("v-owner", t);
        Task working = t.withStatus(new TaskStatus(TaskState.WORKING, null, Instant.now()));
        assertTrue(store.update(working, 1, status(working)));
        Task canceled = t.withStatus(new TaskStatus(TaskState.CANCELED, null, Instant.now()));
        assertFalse(store.update(canceled, 1, status(canceled)), "version 1 is stale now");
        assertEquals(TaskState.WORKING, store.find("v-owner", t.id()).orElseThrow().task().state());
        assertTrue(store.find("someone-else", t.id()).isEmpty());
    }
}
