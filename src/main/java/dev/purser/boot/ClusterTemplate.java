package dev.purser.boot;

import io.zonky.test.db.postgres.util.LinuxUtils;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import java.util.zip.CheckedInputStream;
import org.jboss.logging.Logger;

/**
 * A fresh data directory without initdb's cost on every fresh start: one cluster initialised per
 * PostgreSQL binaries (and initdb's arguments and locale environment), kept beside zonky's
 * unpacked binaries, and copied. A copy is made with the same command zonky runs, so it is the
 * cluster zonky would have made.
 *
 * <p>Safe when partial or damaged: a template is built in a temporary directory and renamed into
 * place whole, with a manifest (every file's size and CRC-32C) written before the rename; each
 * copy is checked against the manifest as it is read, into a temporary directory that is renamed
 * to {@code pg} only once complete and flushed to disk. A template that does not match is
 * discarded and built again.
 */
final class ClusterTemplate {

    private static final Logger LOG = Logger.getLogger(ClusterTemplate.class);
    private static final String MANIFEST = "manifest";
    private static final String DATA = "data";
    /** What changes the cluster initdb makes: its locale and time zone come from these. */
    private static final List<String> ENVIRONMENT = List.of("LANG", "LANGUAGE", "LC_ALL", "LC_COLLATE",
            "LC_CTYPE", "LC_MESSAGES", "LC_MONETARY", "LC_NUMERIC", "LC_TIME", "TZ");

    private final Path binaries;
    private final Path template;

    /**
     * Makes an absent or empty {@code pgDir} a fresh cluster from the template of the unpacked
     * binaries; leaves it to zonky's own initdb when there are none yet (the first start on a
     * machine unpacks them) or the copy fails. A directory with anything in it is left alone.
     */
    static void fillIfFresh(Path pgDir) {
        Optional<Path> binaries = PgBinaries.unpacked();
        try {
            if (binaries.isEmpty() || (Files.isDirectory(pgDir) && !isEmpty(pgDir))) {
                return;
            }
            Files.deleteIfExists(pgDir);
            long t0 = System.nanoTime();
            new ClusterTemplate(binaries.get(), binaries.get().getParent()).copyTo(pgDir);
            LOG.infof("Fresh cluster in %s copied from the initdb template in %d ms", pgDir,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        } catch (IOException e) {
            LOG.warnf("No fresh cluster from the initdb template (%s); running initdb", e.getMessage());
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (var entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }

    /** {@code binaries}: zonky's unpacked PostgreSQL; templates are kept in {@code root}. */
    ClusterTemplate(Path binaries, Path root) {
        this.binaries = binaries;
        this.template = root.resolve("purser-initdb-" + key(binaries));
    }

    /** The template's directory (the cluster is in its {@code data}, the manifest beside it). */
    Path directory() {
        return template;
    }

    /**
     * Makes {@code pgDir}, which must not exist yet, a fresh cluster copied from the template,
     * building the template first when there is none or it does not match its manifest.
     */
    void copyTo(Path pgDir) throws IOException {
        for (int attempt = 0; ; attempt++) {
            if (!Files.isRegularFile(template.resolve(MANIFEST))) {
                discard(template); // none, or one without its manifest: not ours to trust
                build();
            }
            try {
                copyVerified(pgDir);
                return;
            } catch (DamagedTemplate e) {
                if (attempt > 0) {
                    throw new IOException("the initdb template " + template + " was damaged twice: " + e.getMessage());
                }
                LOG.warnf("Discarding the initdb template %s: %s", template, e.getMessage());
                discard(template);
            }
        }
    }

    private void build() throws IOException {
        Path tmp = template.resolveSibling(template.getFileName() + ".tmp-" + UUID.randomUUID());
        Files.createDirectories(tmp);
        try {
            long t0 = System.nanoTime();
            initdb(tmp.resolve(DATA));
            writeManifest(tmp);
            sync(tmp);
            try {
                Files.move(tmp, template, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException another) {
                // another process built it first (a non-empty target): use theirs
                if (!Files.isRegularFile(template.resolve(MANIFEST))) {
                    throw another;
                }
            }
            LOG.infof("Built the initdb template %s in %d ms", template,
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
        } finally {
            deleteTree(tmp);
        }
    }

    /** zonky's initdb, with no sync of its own: the template is flushed once, whole. */
    private void initdb(Path dir) throws IOException {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U")); // initdb refuses to run as root
        }
        command.addAll(initdbArguments(binaries, dir));
        command.add("--no-sync");
        run(command, "initdb");
    }

    private static List<String> initdbArguments(Path binaries, Path dir) {
        return List.of(binaries.resolve("bin/initdb").toString(), "-A", "trust", "-U", "postgres",
                "-D", dir.toString(), "-E", "UTF-8");
    }

    private void writeManifest(Path tmp) throws IOException {
        StringBuilder m = new StringBuilder();
        for (Map.Entry<String, Entry> e : scan(tmp.resolve(DATA)).entrySet()) {
            m.append(e.getValue().line()).append(' ').append(e.getKey()).append('\n');
        }
        Files.writeString(tmp.resolve(MANIFEST), m, StandardCharsets.UTF_8);
    }

    /** Every directory and file under {@code root}, by relative path; files with size and CRC. */
    private static Map<String, Entry> scan(Path root) throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) {
                if (!dir.equals(root)) {
                    entries.put(relative(root, dir), new Entry(true, 0, 0));
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes a) throws IOException {
                CRC32C crc = new CRC32C();
                try (InputStream in = new CheckedInputStream(Files.newInputStream(file), crc)) {
                    in.transferTo(OutputStream.nullOutputStream());
                }
                entries.put(relative(root, file), new Entry(false, a.size(), crc.getValue()));
                return FileVisitResult.CONTINUE;
            }
        });
        return entries;
    }

    private void copyVerified(Path pgDir) throws IOException {
        Map<String, Entry> manifest = readManifest();
        Path tmp = pgDir.resolveSibling(pgDir.getFileName() + ".partial-" + UUID.randomUUID());
        try {
            Files.createDirectory(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path source = template.resolve(DATA);
            for (Map.Entry<String, Entry> e : manifest.entrySet()) {
                Path from = source.resolve(e.getKey());
                Path to = tmp.resolve(e.getKey());
                if (e.getValue().directory()) {
                    if (!Files.isDirectory(from)) {
                        throw new DamagedTemplate("missing directory " + e.getKey());
                    }
                    Files.createDirectories(to);
                    Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from));
                } else {
                    copyFile(from, to, e.getKey(), e.getValue());
                }
            }
            if (!scanNames(source).equals(manifest.keySet())) {
                throw new DamagedTemplate("files that the manifest does not list");
            }
            sync(tmp);
            Files.move(tmp, pgDir, StandardCopyOption.ATOMIC_MOVE);
            fsyncDirectory(pgDir.getParent());
        } finally {
            deleteTree(tmp);
        }
    }

    private static void copyFile(Path from, Path to, String name, Entry expected) throws IOException {
        CRC32C crc = new CRC32C();
        long size;
        try (InputStream in = new CheckedInputStream(Files.newInputStream(from), crc);
                OutputStream out = Files.newOutputStream(to, StandardOpenOption.CREATE_NEW)) {
            size = in.transferTo(out);
        } catch (java.nio.file.NoSuchFileException gone) {
            throw new DamagedTemplate("missing file " + name);
        }
        if (size != expected.size() || crc.getValue() != expected.crc()) {
            throw new DamagedTemplate("file " + name + " does not match its manifest");
        }
        Files.setPosixFilePermissions(to, Files.getPosixFilePermissions(from));
    }

    private Map<String, Entry> readManifest() throws IOException {
        Map<String, Entry> entries = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(template.resolve(MANIFEST), StandardCharsets.UTF_8)) {
                String[] f = line.split(" ", 4);
                if (f.length != 4) {
                    throw new DamagedTemplate("a manifest line is cut short");
                }
                entries.put(f[3], new Entry(f[0].equals("d"), Long.parseLong(f[1]), Long.parseLong(f[2], 16)));
            }
        } catch (java.nio.file.NoSuchFileException | NumberFormatException e) {
            throw new DamagedTemplate("its manifest is missing or unreadable");
        }
        if (!entries.containsKey("PG_VERSION") || !entries.containsKey("global/pg_control")) {
            throw new DamagedTemplate("its manifest lists no cluster");
        }
        return entries;
    }

    private static java.util.Set<String> scanNames(Path root) throws IOException {
        java.util.Set<String> names = new java.util.HashSet<>();
        try (var paths = Files.walk(root)) {
            paths.filter(p -> !p.equals(root)).forEach(p -> names.add(relative(root, p)));
        }
        return names;
    }

    /**
     * Flushes everything under {@code dir} to disk, as initdb does by default: one syncfs(2)
     * through coreutils' {@code sync -f}, else an fsync of every file and directory.
     */
    private static void sync(Path dir) throws IOException {
        try {
            Process p = new ProcessBuilder("sync", "-f", dir.toString()).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (p.waitFor() == 0) {
                return;
            }
        } catch (IOException noSyncCommand) {
            // fall through to fsync file by file
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while flushing " + dir, e);
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                if (Files.isDirectory(p)) {
                    fsyncDirectory(p);
                } else {
                    try (FileChannel c = FileChannel.open(p, StandardOpenOption.WRITE)) {
                        c.force(true);
                    }
                }
            }
        }
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel c = FileChannel.open(dir, StandardOpenOption.READ)) {
            c.force(true);
        }
    }

    private static void run(List<String> command, String what) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (p.waitFor() != 0) {
                throw new IOException(what + " failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while " + what + " ran", e);
        }
    }

    /** Moves a damaged template out of the way first, so no other start picks it up meanwhile. */
    private static void discard(Path template) throws IOException {
        Path away = template.resolveSibling(template.getFileName() + ".discarded-" + UUID.randomUUID());
        try {
            Files.move(template, away, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.NoSuchFileException alreadyGone) {
            return;
        }
        deleteTree(away);
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes a) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** One template per binaries, initdb arguments and the environment initdb reads. */
    private static String key(Path binaries) {
        StringBuilder k = new StringBuilder(binaries.toAbsolutePath().toString());
        initdbArguments(binaries, Path.of("D")).forEach(a -> k.append('\0').append(a));
        for (String name : ENVIRONMENT) {
            k.append('\0').append(name).append('=').append(System.getenv().getOrDefault(name, ""));
        }
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(k.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String relative(Path root, Path p) {
        return root.relativize(p).toString().replace('\\', '/');
    }

    private record Entry(boolean directory, long size, long crc) {
        String line() {
            return (directory ? "d" : "f") + " " + size + " " + Long.toHexString(crc);
        }
    }

    /** The template does not match its manifest (partial, damaged, or changed since). */
    private static final class DamagedTemplate extends IOException {
        DamagedTemplate(String message) {
            super(message);
        }
    }
}
