/**
 * The principal's command line, {@code purser keygen | mandate sign | revoke | verify | inspect}:
 * everything a principal needs to issue and withdraw a spending mandate without other software;
 * and an agent's, {@code purser call}, which sends a task to any A2A agent and pays it. It runs as
 * a plain {@code main} (the {@code ./purser} launcher puts the packaged application's jars on the
 * class path) and never starts Quarkus; it uses {@code crypto}, {@code money}, {@code mandate},
 * {@code x402} and {@code a2a.client}, and checks what it signs with the server's own verifier
 * before writing it.
 */
package dev.purser.cli;
