package dev.purser.mandate;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.Es256;
import dev.purser.crypto.SdJwt;
import dev.purser.crypto.Sha256;
import dev.purser.crypto.TokenParse;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The links of an AP2 mandate chain (ap2.md §2.3; Delegate SD-JWT, as AP2 v0.2's SDK writes
 * it): after the issuer-signed root, each hop is an SD-JWT signed with the previous hop's
 * {@code cnf.jwk} and bound to it by {@code sd_hash}, the SHA-256 of the previous hop as
 * presented (with its trailing {@code ~}). A hop that delegates further — a child open mandate —
 * is typed {@value #INTERMEDIATE} and carries a {@code cnf} of its own; the terminal hop — a
 * closed mandate, one payment — is typed {@value #TERMINAL}. Both form and mandate code read
 * hops only through here, so registration and draws bind hops the same way.
 */
final class Ap2Hops {

    /** A closed mandate: the chain's last hop. */
    static final String TERMINAL = "kb+sd-jwt";

    /** A child open mandate: a hop that names the next delegate in its {@code cnf}. */
    static final String INTERMEDIATE = "kb+sd-jwt+kb";

    private Ap2Hops() {
    }

    /** Why a hop is not linked to the one before it; {@link #LINKED} when it is. */
    enum Link {
        LINKED,
        /** Not of the {@code typ} its place in the chain needs. */
        WRONG_TYPE,
        /** Not signed (ES256) by the previous hop's {@code cnf.jwk}. */
        WRONG_SIGNER,
        /** Its {@code sd_hash} is not the previous hop's. */
        UNBOUND
    }

    /** Whether {@code hop}, of type {@code typ}, is linked to {@code previous}, whose agent key is {@code holder}. */
    static Link link(SdJwt previous, Party.P256Key holder, SdJwt hop, String typ) {
        if (!typ.equals(hop.jwt().type())) {
            return Link.WRONG_TYPE;
        }
        if (hop.jwt().verifyEs256(holder.jwk()) != Es256.Verdict.VALID) {
            return Link.WRONG_SIGNER;
        }
        return previous.sdHash().equals(hop.claims().path("sd_hash").asText())
                ? Link.LINKED : Link.UNBOUND;
    }

    /** The one mandate a hop discloses in its {@code delegate_payload}, if it discloses exactly one object. */
    static Optional<JsonNode> content(SdJwt hop) {
        JsonNode payload = hop.claims().path("delegate_payload");
        return payload.isArray() && payload.size() == 1 && payload.get(0).isObject()
                ? Optional.of(payload.get(0)) : Optional.empty();
    }

    /** The id of the mandate a hop is: SHA-256 of its signed JWS, whatever is disclosed. */
    static Bytes32 id(SdJwt hop) {
        return Sha256.hash(hop.jwt().compact().getBytes(StandardCharsets.US_ASCII));
    }

    static Optional<SdJwt> parse(String token) {
        return SdJwt.parse(token) instanceof TokenParse.Parsed<SdJwt> p
                ? Optional.of(p.value()) : Optional.empty();
    }
}
