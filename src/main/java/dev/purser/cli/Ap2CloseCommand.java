package dev.purser.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Keccak256;
import dev.purser.crypto.P256Key;
import dev.purser.crypto.SdJwtWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code purser mandate ap2-close}: an AP2 closed payment mandate (KB-SD-JWT, typ
 * {@code kb+sd-jwt}, {@code vct: mandate.payment.1}) signed with the mandate's agent key, one
 * payment of a number of US cents, written as {@code {"ap2": "<chain>~~<closed>"}}: the body of
 * a direct draw ({@code --post} draws it at {@code …/use}), or, for a paid task, the chain that
 * goes in the message metadata with a payment whose nonce is keccak256 of it
 * ({@code purser call --ap2 FILE} does both).
 */
@Command(name = "ap2-close", mixinStandardHelpOptions = true,
        description = "Sign one AP2 payment (a closed mandate) under an AP2 mandate; with --post,"
                + " draw it.")
final class Ap2CloseCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--key", required = true, paramLabel = "JWK_FILE",
            description = "The mandate's agent key file (its cnf key).")
    Path key;

    @Option(names = "--mandate", required = true, paramLabel = "FILE",
            description = "The mandate's chain: the file ap2-open (or ap2-delegate) wrote.")
    Path mandate;

    @Option(names = "--cents", required = true,
            description = "The payment in US cents (1 cent = 10000 atomic USDC).")
    long cents;

    @Option(names = "--payee", defaultValue = "purser",
            description = "The payee's id (default: ${DEFAULT-VALUE}).")
    String payee;

    @Option(names = "--instrument", defaultValue = "x402",
            description = "The payment instrument's id, type x402 (default: ${DEFAULT-VALUE}).")
    String instrument;

    @Option(names = "--payee-address", description = "The x402 recipient (payTo) the payment"
            + " must go to, bound into the instrument as AP2's x402 sample does.")
    Optional<String> payeeAddress;

    @Option(names = "--transaction", description = "What the payment is for"
            + " (transaction_id; default: random).")
    Optional<String> transaction;

    @Option(names = "--aud", description = "Whom it is addressed to; default: the receiptSigner"
            + " on the card of the --post server.")
    Optional<String> aud;

    @Mixin
    Output output;

    @Override
    public Integer call() throws Exception {
        if (cents <= 0) {
            throw new IllegalArgumentException("--cents must be positive");
        }
        P256Key agent = KeyFile.readP256(key);
        String chain = Ap2Chains.read(mandate);
        ObjectNode closed = Output.JSON.createObjectNode().put("vct", "mandate.payment.1")
                .put("transaction_id", transaction.orElseGet(() -> UUID.randomUUID().toString()));
        closed.putObject("payee").put("id", payee).put("name", payee);
        closed.putObject("payment_amount").put("amount", cents).put("currency", "USD");
        ObjectNode used = closed.putObject("payment_instrument").put("id", instrument)
                .put("type", "x402");
        payeeAddress.ifPresent(address -> used.put("payee_address", address));
        Instant now = Instant.now();
        String open = Ap2Chains.lastHop(chain); // the mandate drawn on: the hop this one binds
        String hop = SdJwtWriter.hop(agent, "kb+sd-jwt", open, closed,
                Ap2Chains.audience(aud, output.post), UUID.randomUUID().toString(),
                now.getEpochSecond(), new SecureRandom());
        String full = chain + "~" + hop;
        ObjectNode body = Output.JSON.createObjectNode().put("ap2", full);
        output.write(body, "x402 nonce", Keccak256.hash(full.getBytes(StandardCharsets.UTF_8))
                .hex(), spec.commandLine().getOut(), spec.commandLine().getErr());
        String mandateId = Ap2Chains.id(open).hex();
        return output.send("POST", "/api/a2a/mandates/" + mandateId + "/use", body,
                spec.commandLine().getOut(), spec.commandLine().getErr());
    }
}
