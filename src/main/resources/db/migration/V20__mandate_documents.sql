-- Registered mandates (DESIGN §4): the signed document each envelope was opened from, kept so
-- that a child can be checked against its parent's signed terms and a revocation against the
-- mandate's principal. The envelope (ledger) holds the money; this holds the proof.
--
-- A row is written before its envelope is opened, and never deleted: a registration refused at
-- opening (a child that does not fit its parent) leaves a row with no envelope, which nothing
-- shows, and a crash between the two leaves no envelope without its proof.
create table mandate_document (
    id               text        primary key check (id ~ '^0x[0-9a-f]{64}$'),
    form             text        not null check (form in ('eip712', 'ap2-sd-jwt')),
    -- Party ids: an EIP-55 address, or an RFC 9278 JWK thumbprint URN (AP2 keys).
    principal        text        not null,
    agent            text        not null,
    skills           text[]      not null default '{}',
    recurrence       text        check (recurrence in ('daily', 'weekly', 'monthly')),
    -- The body as verified (EIP-712: with the canonical signature).
    document         text        not null,
    -- The instant it was verified at: reading it back verifies it again as of then.
    verified_at      timestamptz not null,
    created_at       timestamptz not null default now()
);

create index mandate_document_principal on mandate_document (principal, id);
create index mandate_document_agent on mandate_document (agent, id);
