/**
 * Start-up: the embedded PostgreSQL of a first run, its supervisor (restarted when it dies), the
 * application's main, the database readiness check and the REST error body. Depends only on
 * {@code db} (what counts as a database outage); everything else may assume the datasource is
 * configured when it starts.
 */
package dev.purser.boot;
