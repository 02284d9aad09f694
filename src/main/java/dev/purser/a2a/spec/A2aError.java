package dev.purser.a2a.spec;

/** The JSON-RPC errors A2A defines, with their 1.0 ErrorInfo reasons (spec §3). */
public enum A2aError {
    INVALID_PARAMS(-32602, "Invalid parameters", null),
    INTERNAL(-32603, "Internal error", null),
    TASK_NOT_FOUND(-32001, "Task not found", "TASK_NOT_FOUND"),
    TASK_NOT_CANCELABLE(-32002, "Task cannot be canceled", "TASK_NOT_CANCELABLE"),
    PUSH_NOTIFICATION_NOT_SUPPORTED(-32003, "Push Notification is not supported",
            "PUSH_NOTIFICATION_NOT_SUPPORTED"),
    UNSUPPORTED_OPERATION(-32004, "This operation is not supported", "UNSUPPORTED_OPERATION"),
    CONTENT_TYPE_NOT_SUPPORTED(-32005, "Incompatible content types", "CONTENT_TYPE_NOT_SUPPORTED"),
    INVALID_AGENT_RESPONSE(-32006, "Invalid agent response", "INVALID_AGENT_RESPONSE"),
    EXTENDED_CARD_NOT_CONFIGURED(-32007, "Authenticated Extended Card is not configured",
            "EXTENDED_AGENT_CARD_NOT_CONFIGURED"),
    EXTENSION_SUPPORT_REQUIRED(-32008, "Extension support required", "EXTENSION_SUPPORT_REQUIRED"),
    VERSION_NOT_SUPPORTED(-32009, "Version not supported", "VERSION_NOT_SUPPORTED");

    private final int code;
    private final String message;
    private final String reason;

    A2aError(int code, String message, String reason) {
        this.code = code;
        this.message = message;
        this.reason = reason;
    }

    public int code() {
        return code;
    }

    public String message() {
        return message;
    }

    /** The 1.0 ErrorInfo reason; null for the generic JSON-RPC codes. */
    public String reason() {
        return reason;
    }
}
