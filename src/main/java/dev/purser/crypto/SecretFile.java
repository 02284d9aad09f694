package dev.purser.crypto;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A secret kept in one small file of the data directory (the server key, the operator key, the
 * operator token), created on first use with permissions 0600 where the file system has POSIX
 * permissions, and never overwritten.
 */
public final class SecretFile {

    private static final Set<PosixFilePermission> OWNER_ONLY =
            PosixFilePermissions.fromString("rw-------");

    private SecretFile() {
    }

    /** The file's text, stripped; {@code secret} is generated and stored first if it is absent. */
    public static String readOrCreate(Path file, Supplier<String> secret) throws IOException {
        if (!Files.exists(file)) {
            Path directory = file.toAbsolutePath().getParent();
            Files.createDirectories(directory);
            create(directory, file, secret.get());
        }
        return Files.readString(file, StandardCharsets.US_ASCII).strip();
    }

    /**
     * Writes the secret so that no reader ever sees a partial file and two instances starting on
     * one directory end up with one secret: it is written to a private temporary file, then
     * linked into place, which fails if another instance got there first; both then read the
     * file that won.
     */
    private static void create(Path directory, Path file, String secret) throws IOException {
        boolean posix = Files.getFileStore(directory).supportsFileAttributeView("posix");
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        Path temporary = Files.createTempFile(directory, ".secret", ".tmp", attributes);
        try {
            Files.writeString(temporary, secret + "\n", StandardCharsets.US_ASCII,
                    StandardOpenOption.WRITE, StandardOpenOption.SYNC);
            try {
                Files.createLink(file, temporary);
            } catch (FileAlreadyExistsException e) {
                // Another instance created it between our check and now: use theirs.
            } catch (UnsupportedOperationException | IOException e) {
                if (Files.exists(file)) {
                    return;
                }
                // No hard links here (some container file systems): a rename is still atomic.
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
