-- Settlements of EIP-3009 authorizations by the embedded facilitator. One row per authorization:
-- (chain, asset, payer, nonce) is what the token contract marks used, so it is our key too. A
-- second settle of the same payload returns the stored answer; a different payload with the same
-- nonce is refused. 'pending' is an outcome not yet known (never settled twice, never forgotten).
create table x402_settlement (
    chain_id     bigint      not null,
    asset        text        not null,
    payer        text        not null,
    nonce        text        not null,
    payload_hash text        not null,
    amount       bigint      not null check (amount >= 0),
    pay_to       text        not null,
    status       text        not null check (status in ('pending', 'settled', 'failed')),
    response     json,
    created_at   timestamptz not null default now(),
    updated_at   timestamptz not null default now(),
    primary key (chain_id, asset, payer, nonce)
);
