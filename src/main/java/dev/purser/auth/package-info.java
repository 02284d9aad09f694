/**
 * Identity: the {@link dev.purser.auth.Caller} behind a request and the PURSER_AUTH policy.
 * Tokens are verified by smallrye-jwt before anything here runs.
 */
package dev.purser.auth;
