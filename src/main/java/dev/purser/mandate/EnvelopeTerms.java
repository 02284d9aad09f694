package dev.purser.mandate;

import dev.purser.crypto.Address;
import dev.purser.crypto.Keccak256;
import dev.purser.ledger.EnvelopeSpec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** A verified mandate's terms as the ledger opens its envelope with them. */
final class EnvelopeTerms {

    private EnvelopeTerms() {
    }

    static EnvelopeSpec of(Mandate mandate) {
        return new EnvelopeSpec(mandate.id(), account(mandate.principal()),
                account(mandate.agent()), Address.of(mandate.asset().address()),
                mandate.asset().network(), mandate.budget().units(),
                mandate.perTaskMax().units(), mandate.skills(), mandate.notBefore(),
                mandate.expiresAt(), mandate.parent().orElse(null),
                mandate.recurrence().map(r -> EnvelopeSpec.Recurrence.valueOf(r.name()))
                        .orElse(null),
                EnvelopeSpec.Limits.DEFAULTS);
    }

    /**
     * The account the ledger files a party under. An Ethereum party is its address. The ledger
     * keys parties by address, which an AP2 P-256 key does not have, so it is filed under an
     * alias: the last 20 bytes of keccak256 of its thumbprint URN. No private key is known for
     * an alias (finding one is a 2^160 search), so it can never sign an x402 payment or a draw;
     * the wire shows the party's own id, never the alias.
     */
    static Address account(Party party) {
        return switch (party) {
            case Party.Account account -> account.address();
            case Party.P256Key key -> Address.fromBytes(Arrays.copyOfRange(Keccak256.hash(
                    key.id().getBytes(StandardCharsets.US_ASCII)).bytes(), 12, 32));
        };
    }
}
