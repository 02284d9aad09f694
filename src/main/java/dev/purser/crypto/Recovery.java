package dev.purser.crypto;

/** The outcome of recovering a signer: the signer, or why the signature was refused. */
public sealed interface Recovery permits Recovery.Recovered, Recovery.Refused {

    /**
     * @param signer the address whose key made the signature
     * @param signature the signature in canonical form ({@code v} 0/1 normalized to 27/28): the
     *     form to store and to submit on chain, since USDC rejects a raw 0/1
     */
    record Recovered(Address signer, Signature signature) implements Recovery {
    }

    record Refused(SignatureRefusal reason) implements Recovery {
    }

    /** Whether the signature is valid and was made by {@code expected}. */
    default boolean isBy(Address expected) {
        return this instanceof Recovered recovered && recovered.signer().equals(expected);
    }
}
