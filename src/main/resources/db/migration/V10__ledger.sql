-- The ledger (DESIGN §5, §8): budget envelopes, two-phase reservations, a hash-chained
-- double-entry journal and signed receipts. Every money invariant lives here, in CHECK
-- constraints and unique keys, so that the conditional UPDATEs in dev.purser.ledger can never
-- leave a row that breaks it, whatever the concurrency, the number of instances or a kill -9.

-- One envelope per mandate (id = the mandate id). Amounts are atomic units of the asset.
create table envelope (
    id               text        primary key check (id ~ '^0x[0-9a-f]{64}$'),
    principal        text        not null,
    agent            text        not null,
    asset            text        not null,
    network          text        not null,
    budget           bigint      not null check (budget >= 0),
    spent            bigint      not null default 0 check (spent >= 0),
    reserved         bigint      not null default 0 check (reserved >= 0),
    -- 0 = no cap. Each is enforced in the reserving UPDATE itself.
    per_task_max     bigint      not null default 0 check (per_task_max >= 0),
    daily_max        bigint      not null default 0 check (daily_max >= 0),
    -- What was reserved or spent on day_of (UTC); a reservation on a later day starts over.
    day_of           date,
    day_used         bigint      not null default 0 check (day_used >= 0),
    skills           text[]      not null default '{}',
    not_before       timestamptz,
    expires_at       timestamptz,
    parent           text        references envelope (id),
    revoked_at       timestamptz,
    recurrence       text        check (recurrence in ('daily', 'weekly', 'monthly')),
    -- Per-mandate guard overrides; null = the global default, 0 = off.
    guard_rate       integer     check (guard_rate >= 0),
    guard_concurrency integer    check (guard_concurrency >= 0),
    guard_loop       integer     check (guard_loop >= 0),
    -- The head of this envelope's journal: appends lock this row, so the chain never forks.
    journal_seq      bigint      not null default 0 check (journal_seq >= 0),
    journal_head     text        not null,
    created_at       timestamptz not null default now(),
    constraint envelope_within_budget check (spent + reserved <= budget)
);

create index envelope_parent on envelope (parent) where parent is not null;

-- Two-phase draws (TigerBeetle pending transfers). A draw's idempotency key is unique per
-- envelope; a carve-out is the reservation of a child's budget on its parent, keyed by the
-- child's id, and is captured piecemeal as the child spends.
create table reservation (
    id               bigserial   primary key,
    envelope_id      text        not null references envelope (id),
    idempotency_key  text        not null,
    kind             text        not null check (kind in ('draw', 'carve_out')),
    amount           bigint      not null check (amount >= 0),
    captured         bigint      not null default 0 check (captured >= 0),
    state            text        not null check (state in ('pending', 'settlement_unknown',
                                     'captured', 'released', 'expired')),
    expires_at       timestamptz not null,
    agent            text        not null,
    -- Whether the draw counts against its agent's agent_guard row (so its end must uncount it).
    guarded          boolean     not null default false,
    -- What the draw was for (skill, provider, memo, task): the report groups by it.
    context          jsonb       not null default '{}',
    created_at       timestamptz not null default now(),
    resolved_at      timestamptz,
    constraint reservation_captured_within_amount check (captured <= amount),
    constraint reservation_key unique (envelope_id, idempotency_key)
);

-- What the sweeper scans: pending draws by expiry.
create index reservation_pending_expiry on reservation (expires_at)
    where state = 'pending' and kind = 'draw';

-- The journal: append-only (no UPDATE or DELETE is ever issued on it), each entry moving
-- amount from the debit account to the credit account of its envelope, chained by hash.
-- doc is the entry's RFC 8785 canonical JSON without hash, byte for byte what was hashed.
create table journal_entry (
    envelope_id      text        not null references envelope (id),
    seq              bigint      not null check (seq > 0),
    type             text        not null check (type in ('open', 'reserve', 'capture',
                                     'release', 'refund', 'carve_out', 'carve_return')),
    amount           bigint      not null check (amount >= 0),
    debit            text        not null,
    credit           text        not null,
    idempotency_key  text,
    doc              text        not null,
    prev_hash        text        not null,
    hash             text        not null,
    constraint journal_entry_pk primary key (envelope_id, seq),
    constraint journal_entry_moves check (debit <> credit)
);

-- One signed receipt per captured draw.
create table receipt (
    envelope_id      text        not null references envelope (id),
    idempotency_key  text        not null,
    reservation_id   bigint      not null unique references reservation (id),
    amount           bigint      not null check (amount >= 0),
    entry_seq        bigint      not null,
    entry_hash       text        not null,
    issued_at        bigint      not null,
    signer           text        not null,
    signature        text        not null,
    constraint receipt_pk primary key (envelope_id, idempotency_key)
);

-- Guards that span envelopes: one row per agent, locked by the reserving transaction.
create table agent_guard (
    agent            text        primary key,
    in_flight        integer     not null default 0 check (in_flight >= 0),
    window_start     timestamptz not null default now(),
    window_count     integer     not null default 0 check (window_count >= 0)
);

-- Loop detection: identical requests (same envelope, amount, memo) per agent per minute.
create table request_fingerprint (
    agent            text        not null,
    fingerprint      text        not null,
    window_start     timestamptz not null,
    count            integer     not null check (count >= 0),
    constraint request_fingerprint_pk primary key (agent, fingerprint)
);
