package dev.purser.market;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.purser.crypto.Sha256;
import dev.purser.money.Asset;
import dev.purser.x402.X402Config;
import dev.purser.x402.X402Network;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Registers, refreshes and deletes the remote providers Purser resells (DESIGN §9 "Register"):
 * reads the card (outside any transaction), checks it, prices each imported skill (the operator's
 * override, else the card's x402 params, else free; plus Purser's fee) and stores the result.
 */
@ApplicationScoped
public class Providers {

    /** The outcome of a registration or refresh: the provider, or why not. */
    public sealed interface Result permits Saved, Refused {
    }

    /** @param created whether the provider was not active before (201 rather than 200) */
    public record Saved(ProviderStore.Saved provider, boolean created) implements Result {
    }

    public record Refused(MarketRefusal refusal) implements Result {
    }

    private final ProviderStore store;
    private final MarketVersion version;
    private final CardFetcher fetcher;
    private final Asset asset;
    private final ObjectMapper json;

    Providers(ProviderStore store, MarketVersion version, MarketConfig config, X402Config x402,
            ObjectMapper json) {
        this.store = store;
        this.version = version;
        this.json = json;
        this.fetcher = new CardFetcher(config.market().timeout(), config.market().allowPrivate(), json);
        this.asset = X402Network.toCaip2(x402.network()).flatMap(Asset::usdcOn).orElseThrow(() ->
                new IllegalStateException("PURSER_NETWORK: Purser knows no USDC on " + x402.network()));
    }

    /** A registration body, as posted or as read from the providers file. */
    public Result register(JsonNode body) {
        try {
            return save(Registration.parse(body));
        } catch (MarketRefusal.Refused e) {
            return new Refused(e.refusal());
        }
    }

    /** Reads the card again, with the terms the provider was registered with. */
    public Optional<Result> refresh(String id) {
        return store.find(id).filter(s -> s.provider().isActive()).map(s -> {
            StoredProvider p = s.provider();
            try {
                JsonNode body = json.createObjectNode().put("cardUrl", p.cardUrl)
                        .set("skills", p.skills == null ? null : json.readTree(p.skills));
                Registration stored = Registration.parse(body);
                return save(new Registration(p.cardUrl, p.fee(), stored.skills(),
                        Optional.of(store.headers(p))));
            } catch (MarketRefusal.Refused e) {
                return new Refused(e.refusal());
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("market: stored skills of " + id + " do not parse", e);
            }
        });
    }

    public Optional<ProviderStore.Saved> find(String id) {
        return store.find(id);
    }

    public List<ProviderStore.Saved> all() {
        return store.all();
    }

    public Optional<ProviderStore.Saved> delete(String id) {
        Optional<ProviderStore.Saved> deleted = store.delete(id);
        version.invalidate();
        return deleted;
    }

    private Result save(Registration r) {
        Map<String, String> headers = r.headers().orElseGet(() ->
                store.byCardUrl(r.cardUrl()).map(store::headers).orElse(Map.of()));
        ProviderCard card = ProviderCard.parse(fetcher.fetch(r.cardUrl(), headers));
        fetcher.checkAddress(card.interfaceUrl(), "the card's interface URL", null);
        List<ProviderStore.NewOffer> offers = offers(r, card);
        String skills = r.skills().map(s -> Registration.skillsJson(r.skills()).toString()).orElse(null);
        ProviderStore.Saved saved = store.save(idFor(r.cardUrl()), r, skills, headers, card, offers);
        version.invalidate();
        return new Saved(saved, saved.created());
    }

    private List<ProviderStore.NewOffer> offers(Registration r, ProviderCard card) {
        Map<String, Registration.SkillTerms> terms = r.skills().filter(m -> !m.isEmpty()).orElse(null);
        if (terms != null) {
            for (String id : terms.keySet()) {
                if (card.skills().stream().noneMatch(s -> s.id().equals(id))) {
                    throw MarketRefusal.of(MarketRefusal.CARD_INVALID,
                            "the provider's card has no skill '" + id + "'", "skills." + id).exception();
                }
            }
        }
        List<ProviderStore.NewOffer> out = new ArrayList<>();
        for (ProviderCard.RemoteSkill s : card.skills()) {
            if (terms != null && !terms.containsKey(s.id())) {
                continue;
            }
            checkAsset(s);
            Optional<Registration.SkillTerms> t = Optional.ofNullable(terms).map(m -> m.get(s.id()));
            long providerPrice = t.flatMap(Registration.SkillTerms::price).or(s::price).orElse(0L);
            long fee;
            long price;
            try {
                fee = r.fee().on(providerPrice);
                price = Math.addExact(providerPrice, fee);
            } catch (ArithmeticException e) {
                throw MarketRefusal.invalid("fee", "the fee on skill '" + s.id()
                        + "' makes its price exceed 9223372036854775807 atomic units").exception();
            }
            out.add(new ProviderStore.NewOffer(s, providerPrice, fee, price,
                    t.flatMap(Registration.SkillTerms::cacheTtl)));
        }
        return out;
    }

    /** A price the card states in another network or token than Purser settles in is refused. */
    private void checkAsset(ProviderCard.RemoteSkill s) {
        Optional<String> network = s.network().map(n -> X402Network.toCaip2(n).orElse(n));
        boolean wrongNetwork = network.isPresent() && !network.get().equals(asset.network());
        boolean wrongToken = s.asset().isPresent() && !asset.isToken(s.asset().get());
        if (wrongNetwork || wrongToken) {
            throw MarketRefusal.of(MarketRefusal.ASSET_MISMATCH, "skill '" + s.id() + "' is priced in "
                    + s.asset().orElse("?") + " on " + s.network().orElse("?") + "; Purser settles in USDC "
                    + asset.address() + " on " + asset.network(), null).exception();
        }
    }

    /** A provider's id: stable for its card URL, so every instance and restart agrees on it. */
    static String idFor(String cardUrl) {
        return stableId("p", cardUrl);
    }

    /** {@code prefix} and the first 6 bytes of the SHA-256 of {@code key}, in hex. */
    static String stableId(String prefix, String key) {
        byte[] hash = Sha256.hash(key.getBytes(StandardCharsets.UTF_8)).bytes();
        return prefix + HexFormat.of().formatHex(hash, 0, 6);
    }
}
