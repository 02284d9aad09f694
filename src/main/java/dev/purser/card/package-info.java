/**
 * The agent card: built from the {@code agent-card/} template, the skill catalog and
 * configuration; served at both well-known paths. Depends on {@code auth} and {@code market}.
 */
package dev.purser.card;
