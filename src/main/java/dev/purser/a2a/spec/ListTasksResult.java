package dev.purser.a2a.spec;

import java.util.List;

/** One page of tasks; {@code nextPageToken} is empty on the last page. */
public record ListTasksResult(List<Task> tasks, String nextPageToken, int pageSize, long totalSize) {
}
