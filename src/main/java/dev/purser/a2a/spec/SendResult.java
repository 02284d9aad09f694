package dev.purser.a2a.spec;

/** What a send answers: a task, or a direct message (no task). */
public sealed interface SendResult {

    record OfTask(Task task) implements SendResult {
    }

    record OfMessage(Message message) implements SendResult {
    }
}
