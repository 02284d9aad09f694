package dev.purser.cli;

import dev.purser.mandate.Mandate;
import dev.purser.mandate.MandateCheck;
import dev.purser.mandate.MandateRefusal;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code purser mandate verify}: runs the server's verifier on a mandate file, offline — what a
 * principal or an agent checks before relying on a document. A child's narrowing against its
 * parent needs the parent's envelope, so only the server checks that.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "Verify a signed mandate file as the server would (without its parent).")
final class VerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--in", required = true, description = "The mandate JSON file.")
    Path in;

    @Option(names = "--at", description = "Check at this instant, unix seconds (default: now).")
    Optional<Long> at;

    @Mixin
    Network network;

    @Override
    public Integer call() throws Exception {
        Clock clock = at.map(seconds -> Clock.fixed(Instant.ofEpochSecond(seconds),
                ZoneOffset.UTC)).orElse(Clock.systemUTC());
        PrintWriter out = spec.commandLine().getOut();
        MandateCheck check = network.verifier(clock)
                .verify(Files.readString(in, StandardCharsets.UTF_8));
        switch (check) {
            case MandateCheck.Accepted accepted -> {
                Mandate m = accepted.mandate();
                out.println("valid");
                out.println("id: " + m.id().hex());
                out.println("form: " + m.form().wire());
                out.println("principal: " + m.principal().id());
                out.println("agent: " + m.agent().id());
                out.println("asset: " + m.asset().address() + " (" + m.asset().network() + ")");
                out.println("budget: " + m.budget());
                out.println("perTaskMax: " + m.perTaskMax());
                out.println("skills: " + (m.skills().isEmpty() ? "any" : m.skills()));
                out.println("notBefore: " + m.notBefore());
                out.println("expiresAt: " + m.expiresAt());
                out.println("parent: " + m.parent().map(Object::toString).orElse("none"));
                return 0;
            }
            case MandateCheck.Refused refused -> {
                MandateRefusal r = refused.refusal();
                out.println("refused: " + r.code() + " (" + r.field() + "): " + r.message());
                return 1;
            }
        }
    }
}
