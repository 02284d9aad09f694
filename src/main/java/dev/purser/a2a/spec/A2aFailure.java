package dev.purser.a2a.spec;

import java.util.Map;

/**
 * A refusal of an A2A call: one of the protocol's errors, a detail for people, and metadata for
 * machines (1.0 ErrorInfo metadata; for invalid params, the field). Mapped to JSON in one place.
 */
public final class A2aFailure extends RuntimeException {

    private final A2aError error;
    private final Map<String, String> metadata;
    private final String field;

    private A2aFailure(A2aError error, String detail, Map<String, String> metadata, String field) {
        super(detail, null, false, false);
        this.error = error;
        this.metadata = Map.copyOf(metadata);
        this.field = field;
    }

    public static A2aFailure of(A2aError error, String detail, Map<String, String> metadata) {
        return new A2aFailure(error, detail, metadata, null);
    }

    public static A2aFailure taskNotFound(String taskId) {
        return of(A2aError.TASK_NOT_FOUND, "Task not found: " + taskId,
                Map.of("taskId", String.valueOf(taskId)));
    }

    public static A2aFailure invalidParams(String field, String reason) {
        return new A2aFailure(A2aError.INVALID_PARAMS, field + ": " + reason, Map.of(), field);
    }

    public static A2aFailure unsupported(String detail) {
        return of(A2aError.UNSUPPORTED_OPERATION, detail, Map.of());
    }

    public A2aError error() {
        return error;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public String field() {
        return field;
    }
}
