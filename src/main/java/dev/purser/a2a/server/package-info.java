/**
 * {@code POST /api/a2a}: version selection, the method table, dispatch to the task service and
 * the one mapping of failures to JSON-RPC errors. The top of the A2A stack.
 */
package dev.purser.a2a.server;
