-- Model upstreams (DESIGN §11 "Upstreams"), mapped by Hibernate ORM (package market): an
-- OpenAI-compatible API the operator resells per token, found by its base URL (unique: instances
-- applying the same models file at once make one upstream). Deleting one only sets its status, so
-- the offers and attempts that name it stay (history).
create table market_upstream (
    id          text        primary key,
    base_url    text        not null unique,
    fee_bps     integer     check (fee_bps between 0 and 1000000),
    fee_amount  bigint      check (fee_amount >= 0),
    -- JSON object of header name to value: credentials for calling the upstream, never shown.
    headers     text        not null default '{}',
    status      text        not null check (status in ('active', 'deleted')),
    created_at  timestamptz not null default now(),
    updated_at  timestamptz not null,
    check (fee_bps is null or fee_amount is null)
);

-- One offer per upstream and model id, priced per million input and output tokens (atomic units).
-- The id ("model:<upstream id>:<model id>") keys market_attempt and market_offer_health beside the
-- local and provider offers. max_output null = the configured default. A model the operator took
-- off the upstream (or whose upstream was deleted) is inactive, kept for history.
create table market_model (
    id                 text    primary key,
    upstream_id        text    not null references market_upstream (id),
    model_id           text    not null check (char_length(model_id) between 1 and 200),
    input_per_million  bigint  not null check (input_per_million >= 0),
    output_per_million bigint  not null check (output_per_million >= 0),
    max_output         bigint  check (max_output > 0),
    cache_ttl_ms       bigint  check (cache_ttl_ms > 0),
    active             boolean not null,
    unique (upstream_id, model_id)
);
create index market_model_model on market_model (model_id) where active;
