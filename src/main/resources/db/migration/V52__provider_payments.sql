-- What Purser paid the providers it delegated to (DESIGN §9): at most one authorization per task
-- and provider — the primary key — recorded before it is sent, so that no retry, no second turn and
-- no second instance pays a provider twice for one task. The fee of a task is the buyer's price
-- (x402_payment) minus what it paid here.
create table provider_payment (
    task_id          text        not null,
    provider_id      text        not null,
    nonce            text        not null,
    amount           bigint      not null check (amount >= 0),
    status           text        not null check (status in ('sent', 'settled', 'failed')),
    provider_task_id text,
    receipt          json,
    created_at       timestamptz not null default now(),
    updated_at       timestamptz not null default now(),
    primary key (task_id, provider_id)
);
