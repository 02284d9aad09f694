package dev.purser.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.purser.a2a.spec.A2aError;
import dev.purser.a2a.spec.A2aFailure;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.TaskQuery;
import dev.purser.a2a.spec.V10Json;
import dev.purser.auth.Caller;
import dev.purser.auth.CallerResolver;
import dev.purser.ledger.MandateLedgerResource;
import dev.purser.mandate.MandateResource;
import dev.purser.market.MarketResource;
import dev.purser.market.ProviderResource;
import dev.purser.task.TaskService;
import io.quarkus.qute.TemplateData;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;

/**
 * The JSON twins of the console's pages: each read is the API resource's own answer (same
 * parameters, same checks, same errors), turned into maps for the templates. The console never
 * reads a store itself, so a page and its twin cannot disagree.
 */
@ApplicationScoped
public class Twins {

    /** One API answer: its HTTP status and its JSON body as maps and lists. */
    public record Twin(int status, Map<String, Object> body) {

        public boolean ok() {
            return status == 200;
        }

        /** The §8 error message of a refused read, for the error page. */
        public String message() {
            Object m = body.get("message");
            return m == null ? "HTTP " + status : m.toString();
        }
    }

    /** The marketplace listing's query parameters (DESIGN §9), as the GET form sends them. */
    @TemplateData
    public record MarketQuery(String tag, String q, String paid, String provider, String kind,
            String maxPrice, String sort, String after, String limit) {

        /** The console's link to the page after {@code next}, with the same filters. */
        public String pageAfter(String next) {
            StringBuilder url = new StringBuilder("/?after=").append(encode(next));
            String[][] params = {{"tag", tag}, {"q", q}, {"paid", paid}, {"provider", provider},
                {"kind", kind}, {"maxPrice", maxPrice}, {"sort", sort}, {"limit", limit}};
            for (String[] p : params) {
                if (p[1] != null) {
                    url.append('&').append(p[0]).append('=').append(encode(p[1]));
                }
            }
            return url.toString();
        }

        private static String encode(String value) {
            return URLEncoder.encode(value, StandardCharsets.UTF_8);
        }
    }

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() { };

    private final MarketResource market;
    private final ProviderResource providers;
    private final MandateResource mandates;
    private final MandateLedgerResource ledgers;
    private final TaskService tasks;
    private final CallerResolver callers;
    private final SecurityIdentity identity;
    private final ObjectMapper json;

    public Twins(MarketResource market, ProviderResource providers, MandateResource mandates,
            MandateLedgerResource ledgers, TaskService tasks, CallerResolver callers,
            SecurityIdentity identity, ObjectMapper json) {
        this.tasks = tasks;
        this.callers = callers;
        this.identity = identity;
        this.market = market;
        this.providers = providers;
        this.mandates = mandates;
        this.ledgers = ledgers;
        this.json = json;
    }

    /** {@code GET /api/market/services?…}. */
    public Twin services(MarketQuery q) {
        return twin(market.list(q.tag(), q.q(), q.paid(), q.provider(), q.kind(), q.maxPrice(),
                q.sort(), q.after(), q.limit()));
    }

    /** {@code GET /api/market/providers}. */
    public Twin providers() {
        return twin(providers.list());
    }

    /** {@code GET /api/market/providers/{id}}. */
    public Twin provider(String id) {
        return twin(providers.get(id));
    }

    /** {@code GET /api/market/providers/{id}/history?limit=}. */
    public Twin providerHistory(String id, String limit) {
        return twin(providers.history(id, limit));
    }

    /**
     * JSON-RPC {@code GetTask} as this request's caller (anonymous for a browser without a token):
     * the same owner check, so the console shows a task only to whom the API would. 404 is the
     * API's task-not-found; 401 when the server admits no anonymous caller.
     */
    public Twin task(String id) {
        Optional<Caller> caller = callers.resolve(identity);
        if (caller.isEmpty()) {
            return new Twin(401, Map.of("message", "this server requires a token for tasks"
                    + " (PURSER_AUTH=required); the console sends none, so it cannot show tasks"));
        }
        try {
            Task task = tasks.get(caller.get(), new TaskQuery(id, null));
            return new Twin(200, json.convertValue(V10Json.INSTANCE.writeTask(task), MAP));
        } catch (A2aFailure f) {
            if (f.error() != A2aError.TASK_NOT_FOUND) {
                throw f;
            }
            return new Twin(404, Map.of("message", "no task " + id + " that "
                    + (caller.get().isAnonymous() ? "an anonymous caller" : "you")
                    + " can see: a task is shown only to the caller that created it"));
        }
    }

    /** {@code GET /api/a2a/mandates/{id}}. */
    public Twin envelope(String id) {
        return twin(mandates.get(id));
    }

    /** {@code GET /api/a2a/mandates/{id}/ledger?after=&limit=}. */
    public Twin ledger(String id, String after, String limit) {
        return twin(ledgers.ledger(id, after, limit));
    }

    /** {@code GET /api/a2a/mandates/{id}/report}. */
    public Twin report(String id) {
        return twin(ledgers.report(id));
    }

    private Twin twin(Response response) {
        Object entity = response.getEntity();
        try {
            JsonNode tree = entity instanceof JsonNode node ? node
                    : entity instanceof String text ? json.readTree(text)
                    : json.valueToTree(entity);
            Map<String, Object> body = tree != null && tree.isObject()
                    ? json.convertValue(tree, MAP) : Map.of();
            return new Twin(response.getStatus(), body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("an API answer is not JSON", e);
        }
    }
}
