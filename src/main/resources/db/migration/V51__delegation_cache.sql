-- The delegation result cache (DESIGN §9 "Result cache"): a delegated task's artifacts, kept for the
-- caller who bought them, for the cacheTtl the operator gave the offer that served it. One entry per
-- (caller, service, message parts): the key is unique, so concurrent stores of one answer keep one.
create table delegation_cache (
    -- the caller's identity (Caller.owner(): "jwt:<issuer>#<subject>" or "anonymous")
    owner            text        not null,
    service_id       text        not null,
    -- hex SHA-256 of the RFC 8785 canonical JSON of the message parts as the A2A 1.0 wire writes them
    parts_hash       text        not null check (parts_hash ~ '^[0-9a-f]{64}$'),
    -- JSON array of the A2A 1.0 Artifacts the provider answered
    artifacts        text        not null,
    provider_id      text        not null,
    provider_task_id text,
    created_at       timestamptz not null default now(),
    expires_at       timestamptz not null check (expires_at > created_at),
    primary key (owner, service_id, parts_hash)
);
-- the periodic purge of expired entries
create index delegation_cache_expiry on delegation_cache (expires_at);
