/**
 * Money as Purser counts it: {@link dev.purser.money.Amount}, a non-negative {@code long} of an
 * asset's atomic units (USDC: 1.00 = 1000000), and {@link dev.purser.money.Asset}, the token those
 * units belong to. Invariants: no floating point anywhere, every sum and difference is overflow
 * checked ({@code Math.addExact}/{@code subtractExact}), and every number that arrives from the
 * wire (a decimal string, or a uint256 from a signed struct) is range checked into a refusal value
 * rather than truncated. This package sits at the bottom of the dependency order: it uses only the
 * JDK, so every other package may use it.
 */
package dev.purser.money;
