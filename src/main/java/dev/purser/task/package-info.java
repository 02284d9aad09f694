/**
 * Tasks: the aggregate's state machine (terminal states are final), the store in PostgreSQL
 * (each task owned by its caller; writes conditional on version), the event stream (every change
 * is an event stored with the task in one transaction, seq = version; fanned out per task to local
 * subscribers and to other instances by LISTEN/NOTIFY), push delivery from an outbox with an SSRF
 * guard, and the executor SPI with the demo executors. Depends on {@code a2a.spec},
 * {@code a2a.v03} (0.3 webhook bodies), {@code auth} and {@code market}.
 */
package dev.purser.task;
