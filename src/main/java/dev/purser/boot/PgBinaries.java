package dev.purser.boot;

import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * zonky's PostgreSQL archive without its cost on every start. zonky names the folder it unpacks
 * the archive into after the MD5 of the stream its resolver hands it, so it reads the whole 15 MB
 * archive into memory on each start just to find a folder that is already there (a quarter of a
 * second on a busy machine, and the native binary's largest allocation). This resolver hands it
 * the archive once, then a short stand-in naming the archive, whose folder is a link to the
 * unpacked one.
 */
final class PgBinaries implements PgBinaryResolver {

    /** The platform Purser packages PostgreSQL for (pom.xml); zonky's names for it. */
    private static final String SYSTEM = "Linux";
    private static final String HARDWARE = "x86_64";

    /**
     * MD5 of the packaged archive, null without one; in the native image computed once, when the
     * image is built (its static initializers run then).
     */
    private static final String ARCHIVE_MD5 = archiveMd5();

    /** zonky's working directory: {@code ot.epg.working-dir}, else {@code <tmp>/embedded-pg}. */
    private final Path workDir = workDir();

    /** The packaged binaries as zonky unpacked them, once some start has done so. */
    static Optional<Path> unpacked() {
        if (ARCHIVE_MD5 == null) {
            return Optional.empty();
        }
        Path dir = workDir().resolve("PG-" + ARCHIVE_MD5);
        return Files.isRegularFile(dir.resolve(".exists")) && Files.isRegularFile(dir.resolve("bin/initdb"))
                ? Optional.of(dir) : Optional.empty();
    }

    private static Path workDir() {
        return Path.of(System.getProperty("ot.epg.working-dir",
                Path.of(System.getProperty("java.io.tmpdir"), "embedded-pg").toString()));
    }

    @Override
    public InputStream getPgBinary(String system, String machineHardware) throws IOException {
        if (ARCHIVE_MD5 == null || !SYSTEM.equals(system) || !HARDWARE.equals(machineHardware)) {
            return DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware);
        }
        byte[] standIn = ("purser postgres " + system + " " + machineHardware + " " + ARCHIVE_MD5)
                .getBytes(StandardCharsets.UTF_8);
        Path alias = workDir.resolve("PG-" + md5(standIn));
        if (Files.isRegularFile(alias.resolve(".exists"))) {
            return new ByteArrayInputStream(standIn);
        }
        InputStream archive = DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, machineHardware);
        return new FilterInputStream(archive) {
            @Override
            public void close() throws IOException {
                super.close();
                // zonky has read the whole archive and unpacks it into PG-<its MD5> next.
                link(alias, workDir.resolve("PG-" + ARCHIVE_MD5));
            }
        };
    }

    private static void link(Path alias, Path unpacked) {
        try {
            Files.createDirectories(alias.getParent());
            Files.createSymbolicLink(alias, unpacked.getFileName());
        } catch (FileAlreadyExistsException another) {
            // another process linked it first: same target
        } catch (IOException e) {
            throw new UncheckedIOException("could not link " + alias + " to " + unpacked, e);
        }
    }

    private static String archiveMd5() {
        try (DigestInputStream in = new DigestInputStream(DefaultPostgresBinaryResolver.INSTANCE
                .getPgBinary(SYSTEM, HARDWARE), MessageDigest.getInstance("MD5"))) {
            in.transferTo(OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (IOException | RuntimeException | NoSuchAlgorithmException e) {
            return null; // no archive for this platform: zonky's own resolver says so at start
        }
    }

    private static String md5(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
