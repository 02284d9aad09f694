-- On-chain settlement (PURSER_CHAIN_RPC_URL). The signed transaction is recorded here before it is
-- broadcast (its hash is known from its bytes), under a compare-and-set on tx_hash, so an
-- authorization has at most one transaction, ever. A 'pending' row with a transaction is an outcome
-- not yet known: a later settle (or a reconciler) resolves it by that transaction's receipt or the
-- token's authorizationState, and may broadcast the same bytes again, never new ones.
alter table x402_settlement
    add column tx_hash text,
    add column raw_tx  text,
    add constraint x402_settlement_tx_recorded_whole check ((tx_hash is null) = (raw_tx is null));

-- What a reconciler scans: settlements whose outcome is not known yet.
create index x402_settlement_pending on x402_settlement (updated_at) where status = 'pending';
