-- On-chain settlement (PURSER_CHAIN_RPC_URL). The signed transaction is recorded here before it is
-- broadcast (its hash is known from its bytes), under a compare-and-set on tx_hash, so an
-- authorization has at most one live transaction. A 'pending' row with a transaction is an outcome
-- not yet known: a later settle or the reconciler resolves it by that transaction's receipt or the
-- token's authorizationState, and may broadcast the same bytes again. Only a transaction that can
-- never be mined (its operator nonce taken by another, mined one) is replaced, by the same call
-- under a new nonce, again by compare-and-set on the old hash.
alter table x402_settlement
    add column tx_hash      text,
    add column raw_tx       text,
    -- the authorization's validBefore (uint256): after it, a row with nothing sent can only fail
    add column valid_before numeric(78, 0) check (valid_before >= 0),
    add constraint x402_settlement_tx_recorded_whole check ((tx_hash is null) = (raw_tx is null)),
    add constraint x402_settlement_tx_has_window check (tx_hash is null or valid_before is not null);

-- What the reconciler scans: settlements whose outcome is not known yet.
create index x402_settlement_pending on x402_settlement (updated_at) where status = 'pending';
