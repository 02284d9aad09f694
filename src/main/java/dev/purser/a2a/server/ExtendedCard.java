package dev.purser.a2a.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.purser.a2a.spec.A2aError;
import dev.purser.a2a.spec.A2aFailure;
import dev.purser.auth.Caller;
import dev.purser.card.AgentCardService;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;

/**
 * GetExtendedAgentCard / agent/getAuthenticatedExtendedCard (spec §9): declared only with
 * {@code PURSER_EXTENDED_CARD=true}; then an authenticated caller gets the card (Purser shows
 * every caller the same skills, so the extended card is the full card) and an anonymous one a
 * 401. Not declared: -32004.
 */
@ApplicationScoped
class ExtendedCard {

    private final AgentCardService cards;

    ExtendedCard(AgentCardService cards) {
        this.cards = cards;
    }

    JsonNode forCaller(Caller caller, String baseUrl, boolean v10) {
        if (!cards.extendedCardDeclared()) {
            throw A2aFailure.of(A2aError.UNSUPPORTED_OPERATION,
                    "This agent declares no extended agent card", Map.of());
        }
        if (caller.isAnonymous()) {
            throw new AuthenticationRequired();
        }
        return cards.card(baseUrl).json().deepCopy();
    }

    /** The extended card needs a token: answered with HTTP 401 and WWW-Authenticate. */
    static final class AuthenticationRequired extends RuntimeException {
        AuthenticationRequired() {
            super("the extended agent card requires authentication", null, false, false);
        }
    }
}
