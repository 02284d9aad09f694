package dev.purser.task;

import dev.purser.a2a.spec.A2aFailure;
import dev.purser.a2a.spec.PushConfig;
import dev.purser.a2a.spec.PushConfigQuery;
import dev.purser.auth.Caller;
import dev.purser.net.UrlGuard;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Webhook registrations of tasks (create/get/list/delete in both versions). A config belongs to
 * its task and so to the task's owner; they work on tasks in any state, terminal included.
 */
@ApplicationScoped
public class PushConfigService {

    private final TaskStore store;
    private final UrlGuard guard;

    PushConfigService(TaskStore store, TaskConfig config) {
        this.store = store;
        this.guard = new UrlGuard(config.push().allowPrivate());
    }

    /** Registers (or replaces) a config; without an id, 0.3 uses the task id, 1.0 a new UUID. */
    public PushConfig put(Caller caller, PushConfig config, String wireVersion) {
        requireTask(caller, config.taskId());
        PushConfig c = checked(config.withIds(idFor(config, config.taskId(), wireVersion),
                config.taskId()));
        store.putPushConfig(c, wireVersion);
        return c;
    }

    /** 0.3: an unknown or absent config id falls back to the task's first config (SDK practice). */
    public PushConfig get(Caller caller, PushConfigQuery q, boolean fallBackToFirst) {
        requireTask(caller, q.taskId());
        List<PushConfig> all = store.pushConfigs(q.taskId());
        return all.stream().filter(c -> c.id().equals(q.configId())).findFirst()
                .or(() -> fallBackToFirst ? all.stream().findFirst() : java.util.Optional.empty())
                .orElseThrow(() -> A2aFailure.of(dev.purser.a2a.spec.A2aError.TASK_NOT_FOUND,
                        "Push notification config not found: " + q.configId() + " of task "
                                + q.taskId(), Map.of("taskId", q.taskId(),
                                "configId", String.valueOf(q.configId()))));
    }

    public List<PushConfig> list(Caller caller, String taskId) {
        requireTask(caller, taskId);
        return store.pushConfigs(taskId);
    }

    /** Idempotent: deleting what is not there succeeds. */
    public void delete(Caller caller, PushConfigQuery q) {
        requireTask(caller, q.taskId());
        store.deletePushConfig(q.taskId(), q.configId());
    }

    PushConfig checked(PushConfig c) {
        guard.refusalToRegister(c.url()).ifPresent(why -> {
            throw A2aFailure.invalidParams("url", why);
        });
        return c;
    }

    static String idFor(PushConfig c, String taskId, String wireVersion) {
        if (c.id() != null) {
            return c.id();
        }
        return "0.3".equals(wireVersion) ? taskId : UUID.randomUUID().toString();
    }

    private void requireTask(Caller caller, String taskId) {
        store.require(caller.owner(), taskId);
    }
}
