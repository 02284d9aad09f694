-- The nonces of AP2 closed payment mandates (ap2.md §2.3) Purser has accepted: each is good for
-- one draw. The unique key is what makes a replayed closed mandate fail, whichever instance sees
-- it, however many at once. A row is the first closed mandate that used the nonce; the same
-- closed mandate again (a retried request) finds its own row and is answered as before.
create table ap2_closed_mandate (
    mandate_id   text        not null check (mandate_id ~ '^0x[0-9a-f]{64}$'),
    nonce        text        not null check (length(nonce) between 1 and 512),
    -- SHA-256 of the closed mandate's JWS, 0x-hex: which closed mandate took the nonce.
    closed_hash  text        not null check (closed_hash ~ '^0x[0-9a-f]{64}$'),
    -- The task it paid for; null for a direct draw (…/use).
    task_id      text,
    used_at      timestamptz not null default now(),
    primary key (mandate_id, nonce)
);
