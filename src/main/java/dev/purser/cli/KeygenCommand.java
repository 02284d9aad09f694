package dev.purser.cli;

import dev.purser.crypto.Secp256k1Key;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code purser keygen --out key.hex}: a new principal key; prints its address. */
@Command(name = "keygen", mixinStandardHelpOptions = true,
        description = "Generate a secp256k1 key into a new file (mode 0600) and print its address.")
final class KeygenCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--out", required = true, description = "The key file to create.")
    Path out;

    @Override
    public Integer call() throws Exception {
        try {
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
