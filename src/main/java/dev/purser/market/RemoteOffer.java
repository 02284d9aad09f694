package dev.purser.market;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An active offer of an active provider, joined with what calling that provider takes: the
 * in-memory form of a {@code market_offer} row and its {@code market_provider}.
 *
 * @param protocolVersion {@code "1.0"} or {@code "0.3"}
 * @param headers the stored credentials for calling the provider (never shown on the wire)
 * @param price what a caller pays: {@code providerPrice + fee}, atomic units
 */
record RemoteOffer(String offerId, String providerId, String providerName, String cardUrl,
        String interfaceUrl, String protocolVersion, boolean streaming, Map<String, String> headers,
        String skillId, String name, String description, List<String> tags, List<String> examples,
        List<String> inputModes, List<String> outputModes, long providerPrice, long fee, long price,
        Optional<Duration> cacheTtl) {

    RemoteOffer {
        headers = Map.copyOf(headers);
        tags = List.copyOf(tags);
        examples = List.copyOf(examples);
        inputModes = List.copyOf(inputModes);
        outputModes = List.copyOf(outputModes);
    }

    @Override
    public String toString() { // never the headers: they hold credentials
        return "RemoteOffer[" + offerId + " of " + providerId + ", price " + price + "]";
    }

    /** The offer id of a provider's skill. */
    static String idOf(String providerId, String skillId) {
        return providerId + ":" + skillId;
    }
}
