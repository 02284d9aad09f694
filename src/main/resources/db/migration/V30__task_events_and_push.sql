-- The events of each task, in order: seq counts the task's events (1 = the task as first stored)
-- and equals the task row's version after the write that added it, so a reader that has the
-- task at version v continues with seq v + 1. Rows are a short-lived log for subscribers on
-- other instances (NOTIFY purser_task_event carries task id and last seq); the task row is the
-- truth, so old rows are purged.
create table task_event (
    task_id  text        not null,
    seq      integer     not null check (seq > 0),
    event    jsonb       not null,
    at       timestamptz not null default now(),
    primary key (task_id, seq)
);
create index task_event_at on task_event (at);

-- Webhooks of a task (A2A push notifications). wire_version is the protocol of the request that
-- registered it, which decides the body shape of each delivery.
create table push_config (
    task_id          text        not null,
    id               text        not null,
    url              text        not null,
    token            text,
    auth_scheme      text,
    auth_credentials text,
    wire_version     text        not null check (wire_version in ('0.3', '1.0')),
    created_at       timestamptz not null default now(),
    primary key (task_id, id)
);

-- Deliveries not yet acknowledged: written in the transaction that stores the event, so a
-- delivery survives a crash or restart. A worker claims due rows (locked_until), posts them and
-- deletes them on a 2xx, or pushes due_at back exponentially.
create table push_outbox (
    id            bigserial   primary key,
    task_id       text        not null,
    config_id     text        not null,
    seq           integer     not null,
    event         jsonb       not null,
    task          jsonb       not null,
    attempts      integer     not null default 0 check (attempts >= 0),
    due_at        timestamptz not null default now(),
    locked_until  timestamptz,
    last_error    text
);
create index push_outbox_due on push_outbox (due_at);
