package dev.purser.card;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.auth.AuthConfig;
import dev.purser.auth.AuthPolicy;
import dev.purser.billing.PaymentTerms;
import dev.purser.crypto.Address;
import dev.purser.ledger.Envelopes;
import dev.purser.mandate.MandateExtension;
import dev.purser.mandate.MandatePolicy;
import dev.purser.market.Marketplace;
import dev.purser.market.Skill;
import dev.purser.market.SkillCatalog;
import dev.purser.x402.PaymentMetadata;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Builds the agent card from the {@code agent-card/} template and configuration, in the shape
 * {@code PURSER_CARD_VERSIONS} asks for. Cached per base URL: the card only changes with it.
 */
@ApplicationScoped
public class AgentCardService {

    public static final String A2A_PATH = "/api/a2a";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String SCHEME = "bearer";

    private final CardConfig config;
    private final AuthConfig auth;
    private final SkillCatalog catalog;
    private final PaymentTerms terms;
    private final ObjectMapper json;
    private final MandatePolicy mandates;
    private final Envelopes envelopes;
    private final ObjectNode template;
    private final CardConfig.CardVersions versions;
    private final Map<String, RenderedCard> cache = new ConcurrentHashMap<>();
    private final Marketplace market;
    private volatile long marketVersion = -1;
    private volatile Set<String> activatable;

    public AgentCardService(CardConfig config, AuthConfig auth, SkillCatalog catalog,
            PaymentTerms terms, ObjectMapper json, MandatePolicy mandates, Envelopes envelopes,
            Marketplace market) {
        this.market = market;
        this.config = config;
        this.mandates = mandates;
        this.envelopes = envelopes;
        this.terms = terms;
        this.auth = auth;
        this.catalog = catalog;
        this.json = json;
        this.versions = CardConfig.CardVersions.of(config.cardVersions());
        this.template = (ObjectNode) catalog.template().read("card.json")
                .orElseThrow(() -> new IllegalStateException("agent-card/card.json is missing"));
    }

    /**
     * The extension URIs a client may activate ({@code A2A-Extensions} / {@code X-A2A-Extensions}):
     * each one the card declares, plus the x402 extension's v0.1 URI, taken as an alias of v0.2
     * because the published a2a-x402 library sends only that one (x402.md §6.1).
     */
    public Set<String> activatableExtensions() {
        Set<String> known = activatable;
        if (known == null) {
            Set<String> uris = new LinkedHashSet<>();
            build("http://localhost").path("capabilities").path("extensions")
                    .forEach(e -> uris.add(e.path("uri").asText()));
            if (uris.contains(PaymentMetadata.EXTENSION_V02)) {
                uris.add(PaymentMetadata.EXTENSION_V01);
            }
            known = Set.copyOf(uris);
            activatable = known;
        }
        return known;
    }

    /** The card for a request that reached us at {@code requestBaseUrl} (scheme://host:port). */
    public RenderedCard card(String requestBaseUrl) {
        long version = market.version();
        if (version != marketVersion) { // a provider changed (on any instance): skills and prices
            cache.clear();
            marketVersion = version;
        }
        String base = config.publicUrl().map(AgentCardService::trimSlash).orElse(requestBaseUrl);
        return cache.computeIfAbsent(base, b -> RenderedCard.of(build(b), json));
    }

    ObjectNode build(String base) {
        String url = base + A2A_PATH;
        ObjectNode card = F.objectNode();
        card.put("name", text("name"));
        card.put("description", text("description"));
        boolean v10 = versions != CardConfig.CardVersions.V0_3;
        boolean v03 = versions != CardConfig.CardVersions.V1_0;
        if (v10) {
            ArrayNode ifaces = card.putArray("supportedInterfaces");
            ifaces.add(iface(url, "1.0"));
            ifaces.add(iface(url, "0.3"));
        }
        if (v03) {
            card.put("url", url);
            card.put("preferredTransport", "JSONRPC");
            card.put("protocolVersion", "0.3.0");
        }
        if (template.has("provider")) {
            card.set("provider", template.get("provider"));
        }
        card.put("version", text("version"));
        ObjectNode capabilities = capabilities(v10, config.extendedCard());
        capabilities.putArray("extensions").add(x402Extension()).add(mandateExtension())
                .add(ap2Extension());
        card.set("capabilities", capabilities);
        card.set("securitySchemes", securitySchemes(v10));
        if (auth.policy() == AuthPolicy.REQUIRED) {
            if (v10) {
                ObjectNode req = card.putArray("securityRequirements").addObject();
                req.putObject("schemes").putObject(SCHEME).putArray("list");
            } else {
                card.putArray("security").addObject().putArray(SCHEME);
            }
        }
        card.set("defaultInputModes", template.get("defaultInputModes"));
        card.set("defaultOutputModes", template.get("defaultOutputModes"));
        ArrayNode skills = card.putArray("skills");
        market.skills().forEach(s -> skills.add(skill(s)));
        // 0.3 clients look for the extended card here; the strict 1.0 card has no such field.
        if (!v10 || (v03 && config.extendedCard())) {
            card.put("supportsAuthenticatedExtendedCard", config.extendedCard());
        }
        return card;
    }

    private static ObjectNode iface(String url, String version) {
        ObjectNode o = F.objectNode();
        o.put("url", url);
        o.put("protocolBinding", "JSONRPC");
        o.put("protocolVersion", version);
        return o;
    }

    /** Exactly what is implemented: streaming, push, and the extended card when configured. */
    private static ObjectNode capabilities(boolean v10, boolean extendedCard) {
        ObjectNode c = F.objectNode();
        c.put("streaming", true);
        c.put("pushNotifications", true);
        if (v10) {
            c.put("extendedAgentCard", extendedCard);
        }
        return c;
    }

    /**
     * The x402 extension (v0.2), not required: free skills and plain A2A clients keep working, and a
     * paid skill answers payment-required either way. Prices live here, per skill id, because the
     * 1.0 schema allows no extra fields on skills (DESIGN §8).
     */
    private ObjectNode x402Extension() {
        ObjectNode ext = F.objectNode();
        ext.put("uri", PaymentMetadata.EXTENSION_V02);
        ext.put("description", "Paid skills take x402 payments: EIP-3009 USDC authorizations, scheme exact.");
        ext.put("required", false);
        ObjectNode params = ext.putObject("params");
        params.put("x402Version", terms.x402Version());
        params.put("network", terms.asset().network());
        params.put("asset", Address.of(terms.asset().address()).checksummed());
        params.put("payTo", terms.payTo().checksummed());
        ObjectNode skills = params.putObject("skills");
        for (Skill s : market.skills()) {
            terms.requirementFor(s).ifPresent(r -> {
                ObjectNode price = skills.putObject(s.id());
                price.put("amount", Long.toString(r.amount()));
                price.put("asset", Address.of(r.asset().address()).checksummed());
                price.put("network", r.asset().network());
            });
        }
        return ext;
    }

    /**
     * Purser's spending-mandate extension (DESIGN §2, §8): the EIP-712 domain and types a
     * principal signs mandates, revocations and draws in, the endpoints, and
     * {@code receiptSigner}, the address of the key receipts are signed with, and
     * {@code webhookSigningKey}, that key's public JWK, which webhook signatures verify with.
     */
    private ObjectNode mandateExtension() {
        ObjectNode ext = F.objectNode();
        ext.put("uri", MandateExtension.URI);
        ext.put("description", "Spending mandates: EIP-712 SpendingMandate (or AP2 v0.2 open "
                + "payment mandate) registered as a budget envelope that paid tasks draw on.");
        ext.put("required", false);
        ObjectNode params = MandateExtension.params(mandates.chainId());
        params.put("receiptSigner", envelopes.receiptSigner().checksummed());
        // Webhooks (push and soft-limit notices) carry X-Purser-Signature, a JWS by this key.
        envelopes.webhookKey().forEach(params.putObject("webhookSigningKey")::put);
        ext.set("params", params);
        return ext;
    }

    /**
     * AP2: open payment mandates (v0.2 SD-JWT, ES256) are accepted at the same registration
     * endpoint. The URI is the one AP2's sample agents and clients declare (spec/ap2.md §1.3).
     */
    private static ObjectNode ap2Extension() {
        ObjectNode ext = F.objectNode();
        ext.put("uri", MandateExtension.AP2_URI);
        ext.put("description", "Accepts AP2 v0.2 open payment mandates (SD-JWT, ES256, "
                + "payment.budget) at POST " + MandateExtension.REGISTER_PATH + ".");
        ext.put("required", false);
        ext.putObject("params").putArray("roles").add("merchant");
        return ext;
    }

    /** Whether the extended card is declared (and so served to authenticated callers). */
    public boolean extendedCardDeclared() {
        return config.extendedCard();
    }

    private static ObjectNode securitySchemes(boolean v10) {
        ObjectNode schemes = F.objectNode();
        if (v10) {
            ObjectNode http = schemes.putObject(SCHEME).putObject("httpAuthSecurityScheme");
            http.put("scheme", "Bearer");
            http.put("bearerFormat", "JWT");
        } else {
            ObjectNode http = schemes.putObject(SCHEME);
            http.put("type", "http");
            http.put("scheme", "bearer");
            http.put("bearerFormat", "JWT");
        }
        return schemes;
    }

    private static ObjectNode skill(Skill s) {
        ObjectNode o = F.objectNode();
        o.put("id", s.id());
        o.put("name", s.name());
        o.put("description", s.description());
        strings(o, "tags", s.tags(), true);
        strings(o, "examples", s.examples(), false);
        strings(o, "inputModes", s.inputModes(), false);
        strings(o, "outputModes", s.outputModes(), false);
        return o;
    }

    private static void strings(ObjectNode o, String name, List<String> values, boolean always) {
        if (always || !values.isEmpty()) {
            ArrayNode a = o.putArray(name);
            values.forEach(a::add);
        }
    }

    private String text(String field) {
        JsonNode v = template.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalStateException("agent-card/card.json: '" + field + "' is required");
        }
        return v.asText();
    }

    private static String trimSlash(String s) {
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }
}
