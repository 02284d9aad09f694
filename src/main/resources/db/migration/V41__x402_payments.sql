-- Payments Purser accepted for tasks. An authorization (chain, asset, payer, nonce) pays for one
-- task only: claimed in one statement before any work runs, so a replay — even a concurrent one —
-- is refused (DUPLICATE_NONCE), while the same payment resubmitted for its own task is recognised.
create table x402_payment (
    chain_id     bigint      not null,
    asset        text        not null,
    payer        text        not null,
    nonce        text        not null,
    task_id      text        not null,
    payload_hash text        not null,
    amount       bigint      not null check (amount >= 0),
    status       text        not null check (status in ('verified', 'settling', 'settled', 'failed', 'unknown')),
    receipt      json,
    created_at   timestamptz not null default now(),
    primary key (chain_id, asset, payer, nonce)
);
create index x402_payment_task on x402_payment (task_id);
