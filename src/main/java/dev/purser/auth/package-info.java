/**
 * Identity: the {@link dev.purser.auth.Caller} behind a request and the PURSER_AUTH policy; the
 * operator's authority (the operator token, or a JWT in the {@code purser-operator} group) over
 * what Purser resells. Tokens are verified by smallrye-jwt (or, for the operator token, by
 * {@link dev.purser.auth.OperatorTokenMechanism}) before anything here runs. A session key
 * ({@code Bearer psk_…}) on {@code /v1} is let through as anonymous by
 * {@link dev.purser.auth.SessionKeyBearer}: the model API checks it itself.
 */
package dev.purser.auth;
