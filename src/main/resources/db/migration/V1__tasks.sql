-- A2A tasks. The document is the task in the A2A 1.0 JSON form; the columns beside it are what
-- queries filter and sort on. Every task belongs to the caller that created it (DESIGN "Identity").
create table task (
    id          text        primary key,
    owner       text        not null,
    context_id  text        not null,
    state       text        not null check (state in ('submitted', 'working', 'input-required',
                                'auth-required', 'completed', 'failed', 'canceled', 'rejected')),
    status_at   timestamptz not null,
    -- Optimistic concurrency: each write names the version it read.
    version     integer     not null check (version > 0),
    skill       text,
    -- json, not jsonb: stored and returned whole, never queried inside, so skip the conversion.
    doc         json        not null,
    created_at  timestamptz not null default now()
);

create index task_owner_status_at on task (owner, status_at desc, id desc);
create index task_owner_context on task (owner, context_id, status_at desc);
