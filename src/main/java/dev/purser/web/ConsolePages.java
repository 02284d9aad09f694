package dev.purser.web;

import dev.purser.billing.PaymentGate;
import dev.purser.x402.PaymentMetadata;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import io.smallrye.common.annotation.Blocking;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * The console's pages (DESIGN §10): marketplace at {@code /}, providers, and envelopes with their
 * ledger. Each page renders one or two {@link Twins} answers; a refused read renders the API's
 * own message with the API's status.
 */
@Path("/")
@Produces(MediaType.TEXT_HTML)
public class ConsolePages {

    private static final Map<String, Object> EMPTY_REPORT = Map.of("byDay", List.of(),
            "bySkill", List.of(), "byProvider", List.of());

    private final Twins twins;
    private final Template market;
    private final Template providers;
    private final Template provider;
    private final Template envelope;
    private final Template refused;
    private final Template task;
    private final Template findTask;

    public ConsolePages(Twins twins, @Location("console/market") Template market,
            @Location("console/providers") Template providers,
            @Location("console/provider") Template provider,
            @Location("console/envelope") Template envelope,
            @Location("console/refused") Template refused,
            @Location("console/task") Template task,
            @Location("console/find-task") Template findTask) {
        this.findTask = findTask;
        this.task = task;
        this.twins = twins;
        this.market = market;
        this.providers = providers;
        this.provider = provider;
        this.envelope = envelope;
        this.refused = refused;
    }

    @GET
    @Blocking
    public Response market(@QueryParam("tag") String tag, @QueryParam("q") String q,
            @QueryParam("paid") String paid, @QueryParam("provider") String providerId,
            @QueryParam("kind") String kind, @QueryParam("maxPrice") String maxPrice, @QueryParam("sort") String sort,
            @QueryParam("after") String after, @QueryParam("limit") String limit) {
        // An empty field of the GET form means "no filter", as if the parameter were absent.
        Twins.MarketQuery query = new Twins.MarketQuery(blank(tag), blank(q), blank(paid),
                blank(providerId), blank(kind), blank(maxPrice), blank(sort), blank(after), blank(limit));
        Twins.Twin services = twins.services(query);
        return page(services.status(), market.data("services", services.body())
                .data("query", query).data("refusal", services.ok() ? null : services.message())
                .data("title", "Marketplace"));
    }

    @GET
    @Path("providers")
    @Blocking
    public Response providers() {
        Twins.Twin list = twins.providers();
        return list.ok() ? page(200, providers.data("list", list.body()).data("title", "Providers"))
                : refused(list);
    }

    @GET
    @Path("providers/{id}")
    @Blocking
    public Response provider(@PathParam("id") String id) {
        Twins.Twin one = twins.provider(id);
        if (!one.ok()) {
            return refused(one);
        }
        Twins.Twin services = twins.services(new Twins.MarketQuery(null, null, null, id, null,
                null, null, null, null));
        Twins.Twin history = twins.providerHistory(id, "20");
        return page(200, provider.data("provider", one.body()).data("services", services.body())
                .data("history", history.body())
                .data("title", "Provider " + one.body().get("name")));
    }

    /** The task finder's GET form: {@code /tasks?id=…} goes to the task's page. */
    @GET
    @Path("tasks")
    public Response findTask(@QueryParam("id") String id) {
        if (id == null) {
            return page(200, findTask.data("title", "Find a task"));
        }
        String trimmed = id.trim();
        if (trimmed.isEmpty() || trimmed.length() > 200) {
            return page(400, refused.data("status", 400).data("title", "Not a task id")
                    .data("message", "the task id must be 1 to 200 characters"));
        }
        return Response.seeOther(UriBuilder.fromPath("/tasks/{id}").build(trimmed)).build();
    }

    @GET
    @Path("tasks/{id}")
    @Blocking
    public Response task(@PathParam("id") String id) {
        Twins.Twin one = twins.task(id);
        if (!one.ok()) {
            return refused(one);
        }
        Map<?, ?> meta = one.body().get("metadata") instanceof Map<?, ?> m ? m : Map.of();
        Map<?, ?> payment = TaskView.paymentOf(one.body());
        Object receipts = payment.get(PaymentMetadata.RECEIPTS);
        Map<?, ?> status = (Map<?, ?>) one.body().get("status");
        Object state = status.get("state");
        return page(200, task.data("task", one.body()).data("title", "Task")
                .data("history", one.body().getOrDefault("history", List.of()))
                .data("artifacts", one.body().getOrDefault("artifacts", List.of()))
                .data("statusMessage", status.get("message"))
                .data("state", String.valueOf(state).replaceFirst("^TASK_STATE_", "")
                        .toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
                .data("delegation", meta.get("purser.delegation"))
                .data("paymentStatus", payment.get(PaymentMetadata.STATUS))
                .data("ledgerReceipt", payment.get(PaymentGate.LEDGER_RECEIPT_KEY))
                .data("receipts", receipts == null ? List.of() : receipts));
    }

    /** The envelope finder's GET form: {@code /envelopes?id=…} goes to the envelope's page. */
    @GET
    @Path("envelopes")
    public Response findEnvelope(@QueryParam("id") String id) {
        String trimmed = id == null ? "" : id.trim();
        if (!trimmed.matches("0x[0-9a-fA-F]{64}")) {
            return page(400, refused.data("status", 400).data("title", "Not an envelope id")
                    .data("message", "the envelope id must be 0x + 64 hex digits"));
        }
        return Response.seeOther(URI.create("/envelopes/" + trimmed)).build();
    }

    @GET
    @Path("envelopes/{id}")
    @Blocking
    public Response envelope(@PathParam("id") String id, @QueryParam("after") String after,
            @QueryParam("limit") String limit) {
        Twins.Twin env = twins.envelope(id);
        if (!env.ok()) {
            return refused(env);
        }
        Twins.Twin ledger = twins.ledger(id, blank(after), blank(limit));
        if (!ledger.ok()) {
            return refused(ledger);
        }
        Twins.Twin report = twins.report(id);
        return page(200, envelope.data("env", env.body()).data("ledger", ledger.body())
                .data("report", report.ok() ? report.body() : EMPTY_REPORT)
                .data("after", blank(after)).data("title", "Envelope"));
    }

    private Response refused(Twins.Twin twin) {
        return page(twin.status(), refused.data("status", twin.status())
                .data("title", twin.status() == 404 ? "Not found" : "Refused")
                .data("message", twin.message()));
    }

    private static Response page(int status, TemplateInstance page) {
        return Response.status(status).entity(page.render()).type(MediaType.TEXT_HTML_TYPE)
                .build();
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
