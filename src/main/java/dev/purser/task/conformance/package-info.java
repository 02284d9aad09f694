/**
 * The conformance executor: answers the public A2A TCK's scenario messages (chosen by messageId
 * prefix). Present only when {@code PURSER_CONFORMANCE=true}, then it answers every message;
 * never part of a production configuration. Depends on {@code task} and {@code a2a.spec}.
 */
package dev.purser.task.conformance;
