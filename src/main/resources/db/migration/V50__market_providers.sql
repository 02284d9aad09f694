-- The marketplace's remote providers (DESIGN §9), mapped by Hibernate ORM (package market).
-- A provider is one remote A2A agent, found by its card URL; deleting it only sets its status, so
-- the offers and attempts that name it stay (history).
create table market_provider (
    id               text        primary key,
    card_url         text        not null unique,
    name             text        not null,
    description      text        not null default '',
    protocol_version text        not null check (protocol_version in ('0.3', '1.0')),
    interface_url    text        not null,
    streaming        boolean     not null,
    fee_bps          integer     check (fee_bps between 0 and 1000000),
    fee_amount       bigint      check (fee_amount >= 0),
    -- JSON object of header name to value: credentials for calling the provider, never shown.
    headers          text        not null default '{}',
    -- JSON object: the operator's per-skill overrides as registered ({"<id>": {price, cacheTtl}}),
    -- or null when every skill of the card is imported.
    skills           text,
    status           text        not null check (status in ('active', 'deleted')),
    created_at       timestamptz not null default now(),
    refreshed_at     timestamptz not null,
    check (fee_bps is null or fee_amount is null)
);

-- One offer per provider and remote skill. price = provider_price + fee, what a caller pays.
-- An offer whose skill left the card (or whose provider was deleted) is inactive, kept for history.
create table market_offer (
    id             text    primary key,
    provider_id    text    not null references market_provider (id),
    skill_id       text    not null,
    name           text    not null,
    description    text    not null,
    tags           text    not null default '[]',
    examples       text    not null default '[]',
    input_modes    text    not null default '[]',
    output_modes   text    not null default '[]',
    provider_price bigint  not null check (provider_price >= 0),
    fee            bigint  not null check (fee >= 0),
    price          bigint  not null check (price = provider_price + fee),
    cache_ttl_ms   bigint  check (cache_ttl_ms > 0),
    active         boolean not null,
    unique (provider_id, skill_id)
);
create index market_offer_skill on market_offer (skill_id) where active;

-- Every routed attempt (a delegation, later a model call), by offer id: the window that p50
-- latency and success rate are computed over. Offer ids are text without a foreign key because
-- local skills (and model upstreams) are offers too.
create table market_attempt (
    id       bigserial   primary key,
    offer_id text        not null,
    outcome  text        not null check (outcome in
                 ('completed', 'failed', 'timeout', 'unreachable', 'price_changed')),
    ms       bigint      not null check (ms >= 0),
    at       timestamptz not null default now()
);
create index market_attempt_offer on market_attempt (offer_id, id desc);

-- The circuit breaker of each offer, shared by every instance: failures in a row, down until
-- when, and the half-open probe one caller may claim once the cool-off has passed.
create table market_offer_health (
    offer_id     text        primary key,
    failures     integer     not null default 0 check (failures >= 0),
    down_until   timestamptz,
    probe_until  timestamptz
);

-- Bumped by every provider or offer change, in the same transaction: instances compare it to
-- the one their card and listing were built from (a cheap read) and rebuild when it moved.
create table market_version (
    id      integer primary key check (id = 1),
    version bigint  not null
);
insert into market_version (id, version) values (1, 0);
