package dev.purser.task;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.purser.testing.Rpc;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** With the default configuration, webhooks on private addresses are refused at registration. */
@QuarkusTest
class PushSsrfTest {

    @Test
    void aPrivateWebhookIsRefusedWithInvalidParams() {
        Rpc rpc = Rpc.v10();
        String id = rpc.call("SendMessage", Map.of("message", rpc.textMessage("x")))
                .getString("result.task.id");
        for (String url : List.of("http://10.1.2.3/hook", "http://127.0.0.1:9/hook",
                "http://169.254.169.254/latest")) {
            JsonPath r = rpc.call("CreateTaskPushNotificationConfig", Map.of("taskId", id, "url", url));
            assertEquals(-32602, r.getInt("error.code"), url);
        }
        JsonPath inline = rpc.call("SendMessage", Map.of("message", rpc.textMessage("y"),
                "configuration", Map.of("taskPushNotificationConfig", Map.of("url", "http://10.0.0.7/h"))));
        assertEquals(-32602, inline.getInt("error.code"));
    }
}
