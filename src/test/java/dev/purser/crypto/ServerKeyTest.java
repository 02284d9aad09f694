package dev.purser.crypto;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerKeyTest {

    @TempDir
    Path directory;

    @Test
    void generatesAKeyOnFirstUseAndLoadsTheSameOneAfterwards() {
        ServerKey first = ServerKey.loadOrCreate(directory.resolve("data"));
        ServerKey second = ServerKey.loadOrCreate(directory.resolve("data"));
        assertEquals(first.address(), second.address());
        assertTrue(Files.exists(directory.resolve("data").resolve(ServerKey.FILE_NAME)));
    }

    @Test
    void keepsTheKeyFileReadableByItsOwnerOnly() throws IOException {
        ServerKey.loadOrCreate(directory);
        Path file = directory.resolve(ServerKey.FILE_NAME);
        if (Files.getFileStore(file).supportsFileAttributeView("posix")) {
            assertEquals("rw-------",
                    PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
        try (var files = Files.list(directory)) {
            assertEquals(1, files.count(), "no temporary file is left behind");
        }
    }

    @Test
    void signsDigestsThatRecoverToItsAddress() {
        ServerKey key = ServerKey.loadOrCreate(directory);
        Bytes32 digest = Keccak256.hash("receipt");
        assertTrue(Secp256k1.recover(digest, key.sign(digest).toBytes()).isBy(key.address()));
    }

    @Test
    void loadsAnExistingKeyFile() throws IOException {
        Files.writeString(directory.resolve(ServerKey.FILE_NAME), TestVectors.ANVIL_0_KEY + "\n");
        assertEquals(TestVectors.ANVIL_0, ServerKey.loadOrCreate(directory).address().toString());
    }

    @Test
    void refusesACorruptKeyFileWithoutQuotingItOrReplacingIt() throws IOException {
        Path file = directory.resolve(ServerKey.FILE_NAME);
        Files.writeString(file, "0xnot-a-key-secret");
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ServerKey.loadOrCreate(directory));
        assertFalse(e.getMessage().contains("secret"));
        assertEquals("0xnot-a-key-secret", Files.readString(file));
    }
}
