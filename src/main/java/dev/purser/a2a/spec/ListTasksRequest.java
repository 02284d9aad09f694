package dev.purser.a2a.spec;

import java.time.Instant;

/** ListTasks (1.0 only): filters, paging and the view of each task. */
public record ListTasksRequest(String contextId, TaskState state, int pageSize, String pageToken,
        Integer historyLength, Instant statusTimestampAfter, boolean includeArtifacts) {

    public static final int DEFAULT_PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 100;
}
