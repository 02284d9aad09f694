package dev.purser.billing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.purser.x402.EmbeddedFacilitator;
import dev.purser.x402.Facilitator;
import dev.purser.x402.RemoteFacilitator;
import dev.purser.x402.X402Config;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The facilitator paid tasks settle through: {@code PURSER_FACILITATOR_URL}, else the embedded one. */
@ApplicationScoped
public class Facilitators {

    @Produces
    @ApplicationScoped
    Facilitator facilitator(X402Config config, BillingConfig billing, EmbeddedFacilitator embedded,
            ObjectMapper json) {
        return config.facilitatorUrl().filter(url -> !url.isBlank())
                .<Facilitator>map(url -> new RemoteFacilitator(url, json, billing.settleTimeout()))
                .orElse(embedded);
    }
}
