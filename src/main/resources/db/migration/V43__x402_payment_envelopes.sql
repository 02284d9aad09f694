-- Task payments drawn from mandate envelopes, and their reconciliation. A payment row now keeps
-- what a later lookup needs without the turn that took it: the envelope and reservation it holds
-- (null for plain x402), the payload and the requirement as sent to the facilitator (to ask again
-- by nonce), and when the reconciler may next look at it ('unknown' = settle outcome not known).
alter table x402_payment
    add column envelope_id    text,
    add column reservation_id bigint,
    add column payload        json,
    add column requirement    json,
    add column updated_at     timestamptz not null default now(),
    add column reconcile_at   timestamptz;

create index x402_payment_reconcile on x402_payment (reconcile_at)
    where status in ('settling', 'unknown');
