/**
 * Tasks: the aggregate's state machine (terminal states are final), the store in PostgreSQL
 * (each task owned by its caller; writes conditional on version), and the executor SPI with the
 * demo executors. Depends on {@code a2a.spec}, {@code auth} and {@code market}.
 */
package dev.purser.task;
