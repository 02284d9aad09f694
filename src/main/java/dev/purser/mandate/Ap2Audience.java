package dev.purser.mandate;

import dev.purser.ledger.Envelopes;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Who Purser is, as an AP2 closed mandate's {@code aud} must name it (ap2.md §2.3): the server
 * key's address, which the card publishes as the mandate extension's {@code receiptSigner} and
 * which no other deployment has; {@code PURSER_PUBLIC_URL} and its agent card's URL when set;
 * and {@code PURSER_MANDATE_AUDIENCE}. A closed mandate addressed to another verifier cannot be
 * replayed here.
 */
@ApplicationScoped
class Ap2Audience {

    private final Set<String> accepted;

    Ap2Audience(Ap2Config config, Envelopes envelopes) {
        Set<String> names = new LinkedHashSet<>();
        names.add(envelopes.receiptSigner().checksummed());
        names.add(envelopes.receiptSigner().lowerHex());
        config.publicUrl().ifPresent(url -> {
            String base = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
            names.add(base);
            names.add(base + "/");
            names.add(base + "/.well-known/agent-card.json");
        });
        config.audience().ifPresent(more -> more.forEach(a -> names.add(a.trim())));
        this.accepted = Set.copyOf(names);
    }

    Set<String> accepted() {
        return accepted;
    }
}
