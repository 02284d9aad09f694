package dev.purser.secrets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {

    private static final byte[] KEY = HexFormat.of().parseHex(
            "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
    private static final SealedColumn HEADERS = new SealedColumn("market_provider", "headers", "id");

    private final SecretBox box = new SecretBox(KEY);

    @Test
    void aSealedValueOpensForItsOwnRowAndShowsNothingOfThePlaintext() {
        String sealed = box.seal("{\"X-Key\":\"hunter2\"}", HEADERS.associatedData(List.of("p1")));

        assertTrue(sealed.startsWith("enc:v1:" + box.keyId() + ":"), sealed);
        assertFalse(sealed.contains("hunter2"));
        assertEquals("{\"X-Key\":\"hunter2\"}", box.open(sealed, HEADERS.associatedData(List.of("p1"))));
    }

    @Test
    void sealingTwiceGivesTwoCiphertexts() {
        String ad = HEADERS.associatedData(List.of("p1"));
        assertNotEquals(box.seal("same", ad), box.seal("same", ad));
    }

    @Test
    void aValueMovedToAnotherRowOrColumnDoesNotOpen() {
        String sealed = box.seal("secret", HEADERS.associatedData(List.of("p1")));

        assertThrows(SecretBox.Unopenable.class,
                () -> box.open(sealed, HEADERS.associatedData(List.of("p2"))));
        SealedColumn other = new SealedColumn("market_upstream", "headers", "id");
        assertThrows(SecretBox.Unopenable.class,
                () -> box.open(sealed, other.associatedData(List.of("p1"))));
    }

    @Test
    void aTwoPartKeyCannotBeShiftedBetweenItsParts() {
        SealedColumn push = new SealedColumn("push_config", "token", "task_id", "id");
        String sealed = box.seal("t", push.associatedData(List.of("a", "bc")));

        assertThrows(SecretBox.Unopenable.class,
                () -> box.open(sealed, push.associatedData(List.of("ab", "c"))));
    }

    @Test
    void anAlteredValueDoesNotOpen() {
        String ad = HEADERS.associatedData(List.of("p1"));
        String sealed = box.seal("secret", ad);
        char last = sealed.charAt(sealed.length() - 2);
        String altered = sealed.substring(0, sealed.length() - 2) + (last == 'A' ? 'B' : 'A')
                + sealed.charAt(sealed.length() - 1);

        assertThrows(SecretBox.Unopenable.class, () -> box.open(altered, ad));
    }

    @Test
    void anotherKeyIsNamedByItsIdAndNeverOpens() {
        byte[] other = KEY.clone();
        other[0] = 9;
        SecretBox second = new SecretBox(other);
        String ad = HEADERS.associatedData(List.of("p1"));

        SecretBox.Unopenable e = assertThrows(SecretBox.Unopenable.class,
                () -> second.open(box.seal("secret", ad), ad));
        assertTrue(e.getMessage().contains(box.keyId()) && e.getMessage().contains(second.keyId()),
                e.getMessage());
        assertNotEquals(box.keyId(), second.keyId());
    }

    @Test
    void theKeyIsReadFromHexOrEitherBase64AlphabetAndMustBe32Bytes() {
        assertArrayEquals(KEY, ColumnSecrets.decode(HexFormat.of().formatHex(KEY), "k"));
        assertArrayEquals(KEY, ColumnSecrets.decode(Base64.getEncoder().encodeToString(KEY), "k"));
        assertArrayEquals(KEY, ColumnSecrets.decode(
                Base64.getUrlEncoder().withoutPadding().encodeToString(KEY), "k"));
        IllegalStateException shortKey = assertThrows(IllegalStateException.class,
                () -> ColumnSecrets.decode("AAAA", "PURSER_SECRETS_KEY"));
        assertTrue(shortKey.getMessage().startsWith("PURSER_SECRETS_KEY must hold 32 bytes"));
        IllegalStateException garbage = assertThrows(IllegalStateException.class,
                () -> ColumnSecrets.decode("not a key!", "PURSER_SECRETS_KEY"));
        assertFalse(garbage.getMessage().contains("not a key!"));
    }

    @Test
    void withoutAConfiguredKeyOneIsMadeOnceInTheKeyDirectoryReadableByItsOwnerOnly(
            @TempDir Path dir) throws Exception {
        SecretsConfig config = new SecretsConfig() {
            public Optional<String> secretsKey() {
                return Optional.empty();
            }

            public Optional<String> serverKeyDir() {
                return Optional.of(dir.resolve("keys").toString());
            }

            public String dataDir() {
                return dir.resolve("data").toString();
            }
        };
        ColumnSecrets first = new ColumnSecrets(config);
        ColumnSecrets again = new ColumnSecrets(config);

        Path file = dir.resolve("keys").resolve(ColumnSecrets.FILE_NAME);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals(first.keyId(), again.keyId());
        SealedColumn push = new SealedColumn("push_config", "token", "task_id", "id");
        assertEquals("t", again.open(push, first.seal(push, "t", "task", "a"), "task", "a"));
        assertEquals(null, first.seal(push, null, "task", "a"));
        assertEquals("legacy", first.open(push, "legacy", "task", "a"));
    }
}
