package dev.purser.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.a2a.client.A2aClient;
import dev.purser.a2a.client.A2aVersion;
import dev.purser.a2a.client.AgentEndpoint;
import dev.purser.a2a.client.CallOptions;
import dev.purser.crypto.Keccak256;
import dev.purser.mandate.Ap2Payments;
import java.nio.charset.StandardCharsets;
import dev.purser.a2a.client.PaidResult;
import dev.purser.a2a.client.PaidSend;
import dev.purser.a2a.client.RemoteCard;
import dev.purser.a2a.spec.Artifact;
import dev.purser.a2a.spec.Message;
import dev.purser.a2a.spec.Part;
import dev.purser.a2a.spec.SendResult;
import dev.purser.a2a.spec.StreamEvent;
import dev.purser.a2a.spec.Task;
import dev.purser.a2a.spec.TaskState;
import dev.purser.crypto.Bytes32;
import dev.purser.money.Asset;
import dev.purser.x402.Payer;
import dev.purser.x402.X402Network;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code purser call}: sends one message to any A2A agent (Purser or another) in the version its
 * card offers, pays a payment-required answer with the key given (EIP-3009, at most
 * {@code --max}), and prints the task's state, its artifacts' text and the receipts. The same
 * client and payer that Purser delegates with. Exit 0 when the task completed (or the agent
 * answered with a message), 1 when it ended otherwise or the payment was not made.
 */
@Command(name = "call", mixinStandardHelpOptions = true,
        description = "Send a message to an A2A agent; pay it with --key if it asks; print the"
                + " result and the receipts.")
final class CallCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CARD_URL",
            description = "The agent's card URL, or its base URL (the well-known paths are tried).")
    String cardUrl;

    @Option(names = "--skill", required = true,
            description = "The skill to ask for (sent as message metadata purser.skill).")
    String skill;

    @Option(names = "--text", required = true, description = "The message text.")
    String text;

    @Option(names = "--key", paramLabel = "FILE",
            description = "A key file (0x + 64 hex digits) to pay x402 payment requests with.")
    Optional<Path> key;

    @Option(names = "--mandate", paramLabel = "ID",
            description = "The mandate (envelope) to draw on: metadata purser.mandate_id.")
    Optional<String> mandate;

    @Option(names = "--ap2", paramLabel = "FILE", description = "Pay under an AP2 mandate with"
            + " the closed mandate in FILE (what mandate ap2-close wrote): its chain goes in the"
            + " message metadata and the payment's nonce is keccak256 of it; --key pays.")
    Optional<Path> ap2;

    @Option(names = "--version", paramLabel = "0.3|1.0",
            description = "The A2A version to speak (default: the card's preferred interface).")
    Optional<String> version;

    @Option(names = "--max", defaultValue = "1000000", paramLabel = "ATOMIC",
            description = "The most to pay, in atomic units (default: ${DEFAULT-VALUE} = 1 USDC).")
    long max;

    @Option(names = "--network", defaultValue = "eip155:84532", paramLabel = "NETWORK",
            description = "The USDC to pay in, by network (default: ${DEFAULT-VALUE}, Base Sepolia;"
                    + " eip155:8453 is Base). A request in another asset is not paid.")
    String network;

    @Option(names = "--stream", description = "Stream the answer, printing states as they come.")
    boolean stream;

    @Option(names = "--timeout", defaultValue = "60", paramLabel = "SECONDS",
            description = "Time allowed for each call (default: ${DEFAULT-VALUE} s).")
    long timeoutSeconds;

    @Option(names = "--header", paramLabel = "NAME=VALUE",
            description = "An extra HTTP header for the agent, e.g. Authorization=Bearer…")
    Map<String, String> headers = Map.of();

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CallOptions options = CallOptions.timeout(Duration.ofSeconds(timeoutSeconds))
                .withHeaders(headers);
        try (A2aClient client = new A2aClient()) {
            RemoteCard card = client.card(cardUrl, options);
            AgentEndpoint agent = endpoint(card);
            out.println("agent: " + card.name() + " at " + agent.url() + " (A2A "
                    + agent.version().label() + ")");
            Consumer<StreamEvent> events = stream ? e -> {
                if (e.state() != null) {
                    err.println("… " + e.state().v03());
                }
            } : null;
            Optional<String> chain = ap2.isEmpty() ? Optional.empty()
                    : Optional.of(Ap2Chains.read(ap2.get()));
            if (chain.isPresent() && key.isEmpty()) {
                throw new IllegalArgumentException("--ap2 pays with x402: give --key too");
            }
            Message message = A2aClient.userMessage(text, metadata(chain));
            if (key.isEmpty()) {
                SendResult r = events == null ? client.send(agent, message, options)
                        : client.stream(agent, message, options, events);
                Optional<JsonNode> asked = PaidSend.paymentRequired(r);
                asked.ifPresent(a -> out.println("payment required: " + a.path("accepts")
                        + "; pass --key FILE to pay"));
                return print(PaidResult.withoutPayment(r), out);
            }
            Asset asset = X402Network.toCaip2(network).flatMap(Asset::usdcOn).orElseThrow(() ->
                    new IllegalArgumentException("--network " + network + " has no USDC Purser"
                            + " knows; use eip155:84532 or eip155:8453"));
            Payer payer = Payer.of(KeyFile.read(key.get()), Clock.systemUTC());
            // AP2's x402 binding: the authorization's nonce is keccak256 of the chain it carries
            Bytes32 nonce = chain.map(c -> Keccak256.hash(c.getBytes(StandardCharsets.UTF_8)))
                    .orElseGet(SignCommand::randomNonce);
            PaidResult r = new PaidSend(client, payer).send(agent, message, asset, max, nonce,
                    options, events);
            r.paid().ifPresent(p -> out.println("paid: " + p.amount() + " atomic units to "
                    + p.requirement().payTo() + " on " + p.requirement().asset().network()
                    + " (x402 v" + p.x402Version() + ", from " + payer.address() + ")"));
            r.refused().ifPresent(p -> out.println("not paid: " + p.reason() + ": " + p.detail()));
            return print(r, out);
        }
    }

    private AgentEndpoint endpoint(RemoteCard card) {
        if (version.isEmpty()) {
            return card.endpoint();
        }
        A2aVersion v = A2aVersion.parse(version.get()).orElseThrow(() ->
                new IllegalArgumentException("--version must be 0.3 or 1.0"));
        return card.endpoint(v).orElseThrow(() -> new IllegalArgumentException("the agent's"
                + " card lists no A2A " + v.label() + " JSON-RPC interface"));
    }

    private ObjectNode metadata(Optional<String> ap2Chain) {
        ObjectNode md = Output.JSON.createObjectNode().put("purser.skill", skill);
        ap2Chain.ifPresent(c -> md.put(Ap2Payments.CHAIN_KEY, c));
        // checked here, so that a typo is named before anything is sent
        mandate.ifPresent(m -> md.put("purser.mandate_id", Bytes32.fromHex(m).hex()));
        return md;
    }

    private static String describe(Part p) {
        if (p.isText()) {
            return p.text();
        }
        return p.data() != null ? p.data().toString()
                : "[file " + (p.url() != null ? p.url() : p.filename()) + "]";
    }

    private static int print(PaidResult r, PrintWriter out) {
        switch (r.result()) {
            case SendResult.OfMessage m -> {
                out.println("message: " + m.message().text());
                return 0;
            }
            case SendResult.OfTask t -> {
                Task task = t.task();
                out.println("task: " + task.id() + " " + task.state().v03());
                if (task.status().message() != null && task.status().message().hasText()) {
                    out.println("status: " + task.status().message().text());
                }
                for (Artifact a : task.artifacts()) {
                    a.parts().forEach(p -> out.println(describe(p)));
                }
                r.receipts().forEach(receipt -> out.println("receipt: " + receipt));
                return task.state() == TaskState.COMPLETED ? 0 : 1;
            }
        }
    }
}
