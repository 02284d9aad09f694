package dev.purser.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.purser.crypto.Bytes32;
import dev.purser.crypto.PurserTypes;
import dev.purser.crypto.Secp256k1Key;
import dev.purser.crypto.TypedDataSchema;
import dev.purser.crypto.SdJwtWriter;
import java.io.IOException;
import java.nio.file.Path;
import java.io.PrintWriter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;

/**
 * What the signing commands share: an EIP-712 message signed for the chain ({@link Network}) in
 * the Purser Mandate domain, wrapped as {@code {<name>: message, signature}}, then written and
 * optionally posted ({@link Output}).
 */
final class Signing {

    @Mixin
    Network network;

    @Mixin
    Output output;

    /** The EIP-712 digest of {@code message} as {@code type} on this chain: what is signed. */
    Bytes32 digest(TypedDataSchema type, ObjectNode message) {
        return type.typedData(PurserTypes.mandateDomain(network.chainId), message).digest();
    }

    /**
     * The body of a request signed with the key in {@code keyFile}: for a secp256k1 key,
     * {@code message} as EIP-712 {@code type} under {@code name} with its signature; for an AP2
     * party's P-256 JWK, {@code {"jws"}}, the same members as an ES256 JWS of {@code jwsTyp}.
     */
    ObjectNode body(Path keyFile, String name, TypedDataSchema type, String jwsTyp,
            ObjectNode message) throws IOException {
        if (KeyFile.isJwk(keyFile)) {
            return Output.JSON.createObjectNode().put("jws",
                    SdJwtWriter.jws(KeyFile.readP256(keyFile), jwsTyp, message));
        }
        return signed(name, message, digest(type, message), KeyFile.read(keyFile));
    }

    /** The body: {@code message} under {@code name}, and {@code signer}'s signature of it. */
    static ObjectNode signed(String name, ObjectNode message, Bytes32 digest, Secp256k1Key signer) {
        ObjectNode body = Output.JSON.createObjectNode();
        body.set(name, message);
        body.put("signature", signer.sign(digest).hex());
        return body;
    }

    /**
     * Writes {@code body}, printing {@code label: value}, and POSTs it to {@code path} when
     * {@code --post} was given; the exit code.
     */
    int publish(CommandSpec spec, ObjectNode body, String label, String value, String path)
            throws IOException, InterruptedException {
        return publish(spec, body, label, value, "POST", path);
    }

    /** As {@link #publish(CommandSpec, ObjectNode, String, String, String)}, with {@code method}. */
    int publish(CommandSpec spec, ObjectNode body, String label, String value, String method,
            String path) throws IOException, InterruptedException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        output.write(body, label, value, out, err);
        return output.send(method, path, body, out, err);
    }
}
