package dev.purser.cli;

import dev.purser.crypto.P256Key;
import dev.purser.crypto.Secp256k1Key;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code purser keygen --out key.hex}: a new principal key; prints its address. With
 * {@code --p256}, an AP2 issuer or agent key (a private JWK); prints its public JWK.
 */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Generate a secp256k1 key (or with --p256 an AP2 P-256 key) into a new file"
                + " (mode 0600) and print its address (its public JWK).")
final class KeygenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, description = "The key file to create.")
    Path out;

    @Option(names = "--p256", description = "An AP2 key (P-256, a private JWK) instead; prints"
            + " its public JWK, which is what others put in a mandate's cnf.")
    boolean p256;

    @Override
    public Integer call() throws Exception {
        try {
            if (p256) {
                P256Key key = KeyFile.createP256(out, new SecureRandom());
                spec.commandLine().getOut().println(key.publicJwk());
                return 0;
            }
            Secp256k1Key key = KeyFile.create(out, new SecureRandom());
            spec.commandLine().getOut().println(key.address().checksummed());
            return 0;
        } catch (FileAlreadyExistsException e) {
            spec.commandLine().getErr().println("purser keygen: " + out
                    + " exists; refusing to overwrite a key");
            return 1;
        }
    }
}
