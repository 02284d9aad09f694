-- Metered model calls in flight (DESIGN §11), one row per call while its reservation is open, so that
-- a crash leaves the reconciler something to finish. The reservation is marked settlement-unknown
-- when the row is written (the sweeper never releases it); the instance running the call keeps
-- seen_at fresh. A row gone stale is resolved by whichever instance sees it: a call that never sent
-- the caller a byte ('calling') is released, one that did ('streaming') is captured in full (its
-- usage is unknown: DESIGN "no usage from the upstream: the reservation is captured").
create table metered_call (
    reservation_id  bigint      primary key,
    envelope_id     text        not null,
    idempotency_key text        not null,
    amount          bigint      not null check (amount > 0),
    model           text        not null,
    state           text        not null check (state in ('calling', 'streaming')),
    started_at      timestamptz not null default now(),
    seen_at         timestamptz not null default now()
);
create index metered_call_seen on metered_call (seen_at);
