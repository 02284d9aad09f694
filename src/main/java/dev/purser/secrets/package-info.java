/**
 * Secrets at rest: the credentials Purser keeps to call others (provider and upstream headers,
 * push notification tokens and credentials) are sealed with AES-256-GCM before they reach
 * PostgreSQL, the row's identity bound in as associated data so that a sealed value copied into
 * another row does not open. The key is {@code PURSER_SECRETS_KEY} or a file made on first start;
 * rows written before sealing existed are sealed at start-up. It owns no table: each owning
 * package names its sealed columns as {@link dev.purser.secrets.SealedColumn}s. Depends on
 * {@code crypto} (the key file), the JDK, CDI and JDBC.
 */
package dev.purser.secrets;
