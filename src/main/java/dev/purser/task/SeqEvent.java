package dev.purser.task;

import dev.purser.a2a.spec.StreamEvent;

/** An event with its place in its task's stream. */
record SeqEvent(int seq, StreamEvent event) {
}
