package dev.purser.a2a.server;

import java.util.Optional;

/** Every A2A method, with its name in each wire version (null where a version lacks it). */
enum RpcMethod {
    SEND("SendMessage", "message/send"),
    SEND_STREAMING("SendStreamingMessage", "message/stream"),
    GET_TASK("GetTask", "tasks/get"),
    LIST_TASKS("ListTasks", null),
    CANCEL_TASK("CancelTask", "tasks/cancel"),
    SUBSCRIBE("SubscribeToTask", "tasks/resubscribe"),
    CREATE_PUSH_CONFIG("CreateTaskPushNotificationConfig", "tasks/pushNotificationConfig/set"),
    GET_PUSH_CONFIG("GetTaskPushNotificationConfig", "tasks/pushNotificationConfig/get"),
    LIST_PUSH_CONFIGS("ListTaskPushNotificationConfigs", "tasks/pushNotificationConfig/list"),
    DELETE_PUSH_CONFIG("DeleteTaskPushNotificationConfig", "tasks/pushNotificationConfig/delete"),
    EXTENDED_CARD("GetExtendedAgentCard", "agent/getAuthenticatedExtendedCard");

    private final String v10;
    private final String v03;

    RpcMethod(String v10, String v03) {
        this.v10 = v10;
        this.v03 = v03;
    }

    /** The method of that name in that version's table; the two tables are disjoint. */
    static Optional<RpcMethod> find(ProtocolVersion version, String name) {
        for (RpcMethod m : values()) {
            String n = version == ProtocolVersion.V1_0 ? m.v10 : m.v03;
            if (name.equals(n)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }
}
