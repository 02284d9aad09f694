/**
 * JDBC plumbing shared by the features that write PostgreSQL directly: one transaction helper, and
 * what counts as a database outage (answered 503 / with a retry hint, never as a bug).
 */
package dev.purser.db;
