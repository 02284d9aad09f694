/**
 * Purser's cryptography, and the only package that imports web3j: keccak-256 and SHA-256,
 * strict 0x-hex, EIP-55 {@link dev.purser.crypto.Address}es, a generic EIP-712 encoder
 * ({@link dev.purser.crypto.TypedData}) with Purser's own types fixed in
 * {@link dev.purser.crypto.PurserTypes}, secp256k1 signer recovery that refuses high-s and
 * malformed signatures as values ({@link dev.purser.crypto.Recovery}) and RFC 6979 signing,
 * EIP-1559 transactions signed by a key ({@link dev.purser.crypto.Eip1559Transaction}) and
 * the USDC/EIP-3009 call data settlement sends ({@link dev.purser.crypto.Eip3009Abi}),
 * RFC 8785 canonical JSON for the ledger's hash chain, the server's receipt key, and ES256 /
 * SD-JWT parsing for AP2 mandates. Invariants: every signature accepted has exactly one encoding
 * (low-s, v 27/28), nothing is decoded leniently, and no floating point is read as a number to
 * hash. It may depend on the JDK, web3j (and its BouncyCastle), Jackson's tree model, and
 * {@code dev.purser.money}; it knows nothing of HTTP, A2A, storage or CDI.
 */
package dev.purser.crypto;
