/**
 * Tasks: the aggregate's state machine (terminal states are final), the store in PostgreSQL
 * (each task owned by its caller; writes conditional on version), the event stream (every change
 * is an event stored with the task in one transaction, seq = version; fanned out per task to local
 * subscribers and to other instances by LISTEN/NOTIFY), push delivery from an outbox with an SSRF
 * guard, and the executor SPI with the demo executors. It also delivers the ledger's soft-limit
 * notices (same guard and settings). Depends on {@code a2a.spec}, {@code a2a.v03} (0.3 webhook
 * bodies), {@code auth}, {@code market} and {@code ledger} (its notice outbox).
 */
package dev.purser.task;
