package dev.purser.x402;

import dev.purser.crypto.Address;
import dev.purser.crypto.Bytes32;
import dev.purser.money.Asset;
import java.math.BigInteger;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Locale;

/**
 * The authorization an on-chain settlement moves: what the token marks used, and so the primary
 * key of its {@code x402_settlement} row.
 */
record SettlementKey(Asset asset, Address payer, Bytes32 nonce, BigInteger amount,
        BigInteger validBefore) {

    SettlementKey(Asset asset, PaymentPayload p) {
        this(asset, p.from(), p.nonce(), p.value(), p.validBefore());
    }

    /** The key's condition in SQL; {@link #bind} fills its four parameters. */
    static final String WHERE = " chain_id = ? and asset = ? and payer = ? and nonce = ?";

    void bind(PreparedStatement ps, int first) throws SQLException {
        ps.setLong(first, asset.chainId());
        ps.setString(first + 1, asset.address().toLowerCase(Locale.ROOT));
        ps.setString(first + 2, payer.toString());
        ps.setString(first + 3, nonce.hex());
    }

    @Override
    public String toString() {
        return payer + "/" + nonce;
    }
}
