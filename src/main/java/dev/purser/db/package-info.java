/** JDBC plumbing shared by the features that write PostgreSQL directly: one transaction helper. */
package dev.purser.db;
