package dev.purser.billing;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.purser.x402.EmbeddedFacilitator;
import dev.purser.x402.Facilitator;
import dev.purser.x402.RemoteFacilitator;
import dev.purser.x402.X402Config;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import java.time.Duration;

/** The facilitator paid tasks settle through: {@code PURSER_FACILITATOR_URL}, else the embedded one. */
@ApplicationScoped
public class Facilitators {

    /** How long a settle may take before its outcome counts as unknown. */
    static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(30);

    @Produces
    @ApplicationScoped
    Facilitator facilitator(X402Config config, EmbeddedFacilitator embedded, ObjectMapper json) {
        return config.facilitatorUrl().<Facilitator>map(url -> new RemoteFacilitator(url, json, SETTLE_TIMEOUT))
                .orElse(embedded);
    }
}
