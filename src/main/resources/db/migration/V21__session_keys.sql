-- Session keys (DESIGN §11): bearer secrets a mandate's agent asks for with a signed SessionKey
-- document, to spend its envelope from any OpenAI client on /v1. The secret is shown once and
-- kept only as its SHA-256: a copy of this table cannot be used to spend.
--
-- One signed document creates at most one key: its nonce is unique per mandate, so a replay
-- (or the same request sent twice at once) finds the key the first one made. Rows are never
-- deleted; revoking sets revoked_at once.
create table session_key (
    id          text        primary key,
    mandate_id  text        not null references mandate_document (id)
                            check (mandate_id ~ '^0x[0-9a-f]{64}$'),
    -- The ledger account the key speaks for (the envelope's agent), EIP-55.
    agent       text        not null,
    -- SHA-256 of the secret's UTF-8 text, 0x hex.
    hash        text        not null unique check (hash ~ '^0x[0-9a-f]{64}$'),
    label       text        not null,
    expires_at  timestamptz not null,
    nonce       text        not null check (nonce ~ '^0x[0-9a-f]{64}$'),
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz,
    unique (mandate_id, nonce)
);

create index session_key_mandate on session_key (mandate_id, created_at);
