/**
 * JSON-RPC 2.0 envelopes and the standard error codes. Knows nothing of A2A.
 */
package dev.purser.jsonrpc;
