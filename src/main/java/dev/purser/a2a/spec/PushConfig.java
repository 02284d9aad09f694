package dev.purser.a2a.spec;

import java.util.Objects;

/**
 * A webhook registration of a task, in the 1.0 (flat) model: where updates go, the token to send
 * back, and the {@code Authorization} scheme and credentials. 0.3 lists acceptable schemes; the
 * first one is kept.
 */
public record PushConfig(String id, String taskId, String url, String token, String authScheme,
        String authCredentials) {

    public PushConfig {
        Objects.requireNonNull(url, "url");
    }

    public PushConfig withIds(String id, String taskId) {
        return new PushConfig(id, taskId, url, token, authScheme, authCredentials);
    }

    @Override
    public String toString() { // never the token or the credentials
        return "PushConfig[" + id + " of task " + taskId + ", scheme " + authScheme + "]";
    }
}
