/**
 * Identity: the {@link dev.purser.auth.Caller} behind a request and the PURSER_AUTH policy; the
 * operator's authority (the operator token, or a JWT in the {@code purser-operator} group) over
 * what Purser resells. Tokens are verified by smallrye-jwt (or, for the operator token, by
 * {@link dev.purser.auth.OperatorTokenMechanism}) before anything here runs.
 */
package dev.purser.auth;
