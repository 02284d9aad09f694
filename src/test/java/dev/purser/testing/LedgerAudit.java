package dev.purser.testing;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.ledger.JournalEntry;
import dev.purser.ledger.Receipt;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Audits an envelope's ledger as a client sees it, over HTTP ({@code …/ledger}, paged): seqs
 * without gaps, each entry linked to its predecessor and hashing to itself, the accounts' sums
 * equal to the envelope's spent, reserved and remaining, each receipt signed by the card's signer
 * and naming a capture entry of its amount.
 */
public final class LedgerAudit {

    private static final ObjectMapper JSON = new ObjectMapper();

    private LedgerAudit() {
    }

    /** The audited receipts. */
    public static List<Receipt> overHttp(Bytes32 envelopeId, long spent, long reserved,
            long remaining, long chainId, Address signer) throws IOException {
        List<JournalEntry> entries = new ArrayList<>();
        List<Receipt> receipts = new ArrayList<>();
        String after = "0";
        while (after != null) {
            JsonNode page = JSON.readTree(given().get("/api/a2a/mandates/" + envelopeId.hex()
                    + "/ledger?limit=7&after=" + after).then().statusCode(200).extract().asString());
            page.get("entries").forEach(j -> entries.add(JournalEntry.fromJson(j)));
            page.get("receipts").forEach(j -> receipts.add(Receipt.fromJson(j)));
            after = page.get("next").isNull() ? null : page.get("next").asText();
        }
        audit(entries, receipts, spent, reserved, remaining, chainId, signer);
        return receipts;
    }

    /**
     * The audit of a journal read by any means; the accounts' balances, for checks of more of
     * them.
     */
    public static Map<JournalEntry.Account, Long> audit(List<JournalEntry> entries,
            List<Receipt> receipts, long spent, long reserved, long remaining, long chainId,
            Address signer) {
        Bytes32 prev = Bytes32.ZERO;
        Map<JournalEntry.Account, Long> balance = new EnumMap<>(JournalEntry.Account.class);
        for (JournalEntry.Account a : JournalEntry.Account.values()) {
            balance.put(a, 0L);
        }
        long seq = 0;
        for (JournalEntry e : entries) {
            assertEquals(++seq, e.seq(), "seqs run without gaps");
            assertEquals(prev, e.prevHash(), "entry " + e.seq() + " links to its predecessor");
            assertTrue(e.hashVerifies(), "entry " + e.seq() + " hash is SHA-256 of its JCS body");
            balance.merge(e.debit(), -e.amount(), Math::addExact);
            balance.merge(e.credit(), e.amount(), Math::addExact);
            prev = e.hash();
        }
        assertEquals(spent, balance.get(JournalEntry.Account.SPENT), "spent balances");
        assertEquals(reserved, balance.get(JournalEntry.Account.RESERVED), "reserved balances");
        assertEquals(remaining, balance.get(JournalEntry.Account.AVAILABLE), "available balances");
        for (Receipt r : receipts) {
            assertTrue(r.verify(chainId, signer),
                    "receipt " + r.idempotencyKey() + " verifies with the published signer");
            assertTrue(entries.stream().anyMatch(e -> e.hash().equals(r.entryHash())
                    && e.type() == JournalEntry.Type.CAPTURE && e.amount() == r.amount()),
                    "receipt names its capture entry");
        }
        return balance;
    }
}
