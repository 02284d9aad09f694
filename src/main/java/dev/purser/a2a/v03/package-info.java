/**
 * The A2A 0.3 wire: converts 0.3 JSON to the one model in {@code a2a.spec} and back. Pure
 * functions; depends on {@code a2a.spec} only.
 */
package dev.purser.a2a.v03;
