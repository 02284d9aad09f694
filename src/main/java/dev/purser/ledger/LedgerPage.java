package dev.purser.ledger;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * A page of an envelope's journal and the receipts of the captures on it.
 *
 * @param next the {@code after} of the next page, or null at the end
 */
public record LedgerPage(List<JournalEntry> entries, List<Receipt> receipts, Long next) {

    public LedgerPage {
        entries = List.copyOf(entries);
        receipts = List.copyOf(receipts);
    }

    public ObjectNode toJson() {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        ArrayNode entryArray = json.putArray("entries");
        entries.forEach(entry -> entryArray.add(entry.toJson()));
        ArrayNode receiptArray = json.putArray("receipts");
        receipts.forEach(receipt -> receiptArray.add(receipt.toJson()));
        if (next == null) {
            json.putNull("next");
        } else {
            json.put("next", next);
        }
        return json;
    }
}
