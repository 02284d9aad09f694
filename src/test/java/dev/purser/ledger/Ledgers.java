package dev.purser.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.ledger.JournalEntry.Account;
import dev.purser.money.Asset;
import dev.purser.testing.LedgerAudit;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Fixtures and the audit every ledger test ends with. */
final class Ledgers {

    static final SecureRandom RANDOM = new SecureRandom();
    static final Address USDC = Address.of(Asset.BASE_SEPOLIA_USDC.address());
    static final String NETWORK = Asset.BASE_SEPOLIA_USDC.network();

    private Ledgers() {
    }

    static Bytes32 randomId() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return new Bytes32(bytes);
    }

    static List<Bytes32> randomIds(int count) {
        List<Bytes32> ids = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            ids.add(randomId());
        }
        return ids;
    }

    static Address randomAddress() {
        byte[] bytes = new byte[20];
        RANDOM.nextBytes(bytes);
        return Address.fromBytes(bytes);
    }

    static EnvelopeSpec spec(long budget) {
        return EnvelopeSpec.root(randomId(), randomAddress(), randomAddress(), USDC, NETWORK,
                budget).withLimits(EnvelopeSpec.Limits.NONE);
    }

    static Envelope open(Envelopes envelopes, EnvelopeSpec spec) {
        OpenResult result = envelopes.open(spec);
        assertTrue(result instanceof OpenResult.Opened, result.toString());
        return ((OpenResult.Opened) result).envelope();
    }

    static Reservation reserved(ReserveResult result) {
        assertTrue(result instanceof ReserveResult.Reserved, result.toString());
        return ((ReserveResult.Reserved) result).reservation();
    }

    static Receipt captured(CaptureResult result) {
        assertTrue(result instanceof CaptureResult.Captured, result.toString());
        return ((CaptureResult.Captured) result).receipt();
    }

    static Refusal refusal(Object result) {
        assertTrue(result instanceof Refused, String.valueOf(result));
        return ((Refused) result).reason();
    }

    /** Every entry of the journal, read page by page as a client would. */
    static List<JournalEntry> journal(Envelopes envelopes, Bytes32 id, List<Receipt> receipts) {
        List<JournalEntry> all = new ArrayList<>();
        long after = 0;
        while (true) {
            LedgerPage page = envelopes.ledger(id, after, 97).orElseThrow();
            all.addAll(page.entries());
            receipts.addAll(page.receipts());
            if (page.next() == null) {
                return all;
            }
            after = page.next();
        }
    }

    /**
     * The client's audit: the chain links from 32 zero bytes, each hash is its entry's, seqs
     * run 1..n, and the accounts' balances are the envelope's columns. Returns the journal.
     */
    static List<JournalEntry> audit(Envelopes envelopes, Bytes32 id) {
        List<Receipt> receipts = new ArrayList<>();
        List<JournalEntry> entries = journal(envelopes, id, receipts);
        Envelope envelope = envelopes.find(id).orElseThrow();
        Map<Account, Long> balance = LedgerAudit.audit(entries, receipts, envelope.spent(),
                envelope.reserved(), envelope.remaining(), envelopes.chainId(),
                envelopes.receiptSigner());
        assertEquals(-envelope.budget(), balance.get(Account.FUNDING), "funding balances");
        return entries;
    }
}
