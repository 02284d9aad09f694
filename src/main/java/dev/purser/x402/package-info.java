/**
 * x402 (EVM {@code exact}, EIP-3009 USDC): payment requirements in v1 and v2 shapes, payload
 * parsing, local verification of every rule that needs no chain, and facilitators. Depends on
 * {@code crypto} and {@code money}; amounts are {@code long} atomic units, uint256 on the wire.
 */
package dev.purser.x402;
