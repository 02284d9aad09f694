-- The envelope policy (DESIGN §4): the principal's own daily cap, tighter guards, soft-limit
-- thresholds and notice webhook, set by a signed PUT …/policy. The cap and the guards are
-- enforced where the server-wide ones are, inside ledger_apply's admission of each draw against
-- the locked envelope row; the latest policy wins in the statement that stores it.

-- The policy's guards: 0 = the server's; otherwise the tighter of the two applies. guard_* (V10)
-- stay the operator's per-envelope overrides of the server's setting (null = the server's).
alter table envelope add column policy_rate integer not null default 0
    check (policy_rate >= 0);
alter table envelope add column policy_concurrency integer not null default 0
    check (policy_concurrency >= 0);
alter table envelope add column policy_loop integer not null default 0
    check (policy_loop >= 0);
-- The issuedAt (unix seconds) of the policy in force; null = none was ever set. A policy is
-- stored only if it is later than this one, so two PUTs at once cannot both win.
alter table envelope add column policy_issued_at bigint check (policy_issued_at >= 0);

-- The UTC day (of the ledger's clock) a draw was counted on, so its release uncounts it from
-- that day; created_at is the database's clock, which a test clock does not move.
alter table reservation add column day_of date;

-- The tighter of two limits where 0 means none.
create function ledger_tighter(a bigint, b bigint) returns bigint language sql immutable as $$
    select case when a = 0 then b when b = 0 then a else least(a, b) end
$$;

-- Whether limit c (0 = none) is at least as tight as limit p.
create function ledger_within(c bigint, p bigint) returns boolean language sql immutable as $$
    select p = 0 or (c <> 0 and c <= p)
$$;

-- A new child starts with its parent's policy (its own limits, if any, tightened by it).
create function ledger_inherit_policy(p_child text) returns void language sql as $$
    update envelope c set
        daily_max = ledger_tighter(c.daily_max, p.daily_max),
        policy_rate = ledger_tighter(c.policy_rate, p.policy_rate),
        policy_concurrency = ledger_tighter(c.policy_concurrency, p.policy_concurrency),
        policy_loop = ledger_tighter(c.policy_loop, p.policy_loop),
        soft_limits = coalesce(c.soft_limits, p.soft_limits),
        webhook = coalesce(c.webhook, p.webhook)
      from envelope p
     where c.id = p_child and p.id = c.parent
$$;

-- Stores a policy on p_env: 'set', or why not. The envelope is locked, then its parent (a child
-- before its parent, the order a child's capture locks them in, so the two cannot deadlock);
-- the envelope's UPDATE carries both rules in its WHERE clause: later than the policy in force,
-- and no looser than the parent's, which cannot change until this commits.
create function ledger_set_policy(p_env text, p_daily bigint, p_rate integer,
        p_concurrency integer, p_loop integer, p_soft integer[], p_webhook text,
        p_issued bigint) returns text
    language plpgsql as $$
declare
    v_parent text;
    p envelope%rowtype;
begin
    select parent into v_parent from envelope where id = p_env for update;
    if not found then
        return 'unknown_mandate';
    end if;
    if v_parent is not null then
        select * into p from envelope where id = v_parent for share;
    end if;
    update envelope set daily_max = p_daily, policy_rate = p_rate,
        policy_concurrency = p_concurrency, policy_loop = p_loop, soft_limits = p_soft,
        webhook = p_webhook, policy_issued_at = p_issued
     where id = p_env and (policy_issued_at is null or policy_issued_at < p_issued)
       and (v_parent is null or (ledger_within(p_daily, p.daily_max)
            and ledger_within(p_rate, p.policy_rate)
            and ledger_within(p_concurrency, p.policy_concurrency)
            and ledger_within(p_loop, p.policy_loop)));
    if found then
        return 'set';
    end if;
    return case when (select policy_issued_at >= p_issued from envelope where id = p_env)
        then 'policy_outdated' else 'policy_loosens_parent' end;
end $$;

-- Why a reservation of p_amount is refused now: as V11's, with the day of the ledger's clock.
create or replace function ledger_why_not(p_env text, p_amount bigint, p_now timestamptz)
    returns text
    language sql stable as $$
    select case
        when revoked_at is not null then 'revoked'
        when not_before is not null and not_before > now() then 'not_yet_valid'
        when expires_at is not null and expires_at <= now() then 'expired'
        when per_task_max <> 0 and p_amount > per_task_max then 'request_too_expensive'
        when daily_max <> 0 and p_amount > daily_max - (case when day_of
            = (p_now at time zone 'UTC')::date then day_used else 0 end)
            then 'daily_limit_exceeded'
        else 'insufficient_budget'
    end
    from envelope where id = p_env
$$;

-- V12's ledger_apply with three changes: the day a draw counts on is the ledger clock's
-- (p_now, as periods are), each guard is the tighter of the server's (or the operator's
-- override) and the policy's, and a reservation keeps the day it was counted on.
create or replace function ledger_apply(p_op text[], p_env text[], p_key text[], p_res bigint[],
        p_amount bigint[], p_ttl_ms bigint[], p_context text[], p_print text[],
        p_now timestamptz, p_rate integer, p_concurrency integer, p_loop integer,
        p_soft integer[]) returns setof ledger_result
    language plpgsql as $$
declare
    i integer;
    r ledger_result;
    -- The envelope being worked on, locked; c_dirty when the batch changed it.
    c envelope%rowtype;
    c_loaded boolean := false;
    c_dirty boolean := false;
    c_boundary timestamptz;
    -- Whether soft limits were looked at for c in this batch (then only crossings are).
    c_noticed boolean;
    -- c's agent's guard row, locked once needed.
    g agent_guard%rowtype;
    g_loaded boolean := false;
    g_dirty boolean := false;
    j journal_entry[] := '{}';
    e journal_entry;
    x record;
    f record;
    v_op text;
    v_env text;
    v_amount bigint;
    v_today date := (p_now at time zone 'UTC')::date;
    v_rate integer;
    v_conc integer;
    v_loop integer;
    v_guarded boolean;
    v_spent bigint;
    v_day bigint;
    v_count integer;
    v_old bigint;
    v_rest bigint;
    v_task text;
    v_why text;
    v_seq bigint;
    v_hash text;
begin
    for i in 1 .. coalesce(array_length(p_op, 1), 0) loop
        v_op := p_op[i];
        v_env := p_env[i];
        v_amount := p_amount[i];
        r := row(null, v_env, p_key[i], null, null, null, v_amount, null, null, null);

        -- Lock the operation's envelope, writing back the previous one.
        if not c_loaded or c.id <> v_env then
            if c_loaded then
                perform ledger_flush(c, c_dirty, g, g_dirty, j);
                j := '{}';
            end if;
            c_dirty := false;
            g_loaded := false;
            g_dirty := false;
            c_noticed := false;
            select * into c from envelope where id = v_env for update;
            c_loaded := found;
            if c_loaded then
                c_boundary := ledger_period_start(c.recurrence, p_now);
            end if;
        end if;

        if v_op in ('reserve', 'draw') then
            if not c_loaded then
                r.outcome := 'unknown_mandate';
                return next r;
                continue;
            end if;
            v_rate := ledger_tighter(coalesce(c.guard_rate, p_rate), c.policy_rate);
            v_conc := ledger_tighter(coalesce(c.guard_concurrency, p_concurrency),
                c.policy_concurrency);
            v_loop := ledger_tighter(coalesce(c.guard_loop, p_loop), c.policy_loop);
            -- 1. The key: unique per envelope. A released or expired draw never paid, so its
            -- key may be armed again; any other use of it answers that use.
            select kind, amount, state,
                   greatest(1, ceil(extract(epoch from expires_at - now())))::bigint as wait
              into x from reservation where envelope_id = v_env and idempotency_key = p_key[i];
            if found and not (x.kind = 'draw' and x.state in ('released', 'expired')) then
                if x.kind <> 'draw' or x.amount <> v_amount then
                    r.outcome := 'idempotency_key_reused';
                elsif x.state = 'captured' then
                    r.outcome := 'captured';
                else
                    r.outcome := 'idempotency_key_in_flight';
                    r.retry_after := case when x.state = 'pending' then x.wait else 1 end;
                end if;
                return next r;
                continue;
            end if;
            -- 2. The agent's concurrency and rate (fixed one-minute window).
            v_guarded := v_rate > 0 or v_conc > 0;
            if v_guarded then
                if not g_loaded then
                    insert into agent_guard (agent) values (c.agent) on conflict do nothing;
                    select * into g from agent_guard where agent = c.agent for update;
                    g_loaded := true;
                end if;
                v_count := case when g.window_start <= now() - interval '1 minute' then 0
                    else g.window_count end;
                if v_conc > 0 and g.in_flight >= v_conc then
                    r.outcome := 'too_many_concurrent';
                    r.retry_after := 1;
                elsif v_rate > 0 and v_count >= v_rate then
                    r.outcome := 'rate_limited';
                    r.retry_after := greatest(1, ceil(extract(epoch from
                        g.window_start + interval '1 minute' - now())))::bigint;
                end if;
                if r.outcome is not null then
                    return next r;
                    continue;
                end if;
            end if;
            -- 3. Loop detection: the same request (envelope, amount, memo, skill) per minute.
            if v_loop > 0 then
                select count, window_start into f from request_fingerprint
                 where agent = c.agent and fingerprint = p_print[i];
                if found and f.window_start > now() - interval '1 minute'
                        and f.count >= v_loop then
                    r.outcome := 'loop_detected';
                    r.retry_after := 60;
                    return next r;
                    continue;
                end if;
            end if;
            -- 4. The money, against the locked row and what this batch already did.
            v_spent := case when c.period_start < c_boundary then 0 else c.spent end;
            v_day := case when c.day_of = v_today then c.day_used else 0 end;
            v_why := case
                when c.revoked_at is not null then 'revoked'
                when c.not_before is not null and c.not_before > now() then 'not_yet_valid'
                when c.expires_at is not null and c.expires_at <= now() then 'expired'
                when c.per_task_max <> 0 and v_amount > c.per_task_max
                    then 'request_too_expensive'
                when c.daily_max <> 0 and v_amount > c.daily_max - v_day
                    then 'daily_limit_exceeded'
                when v_amount > c.budget - v_spent - c.reserved then 'insufficient_budget'
            end;
            if v_why is not null then
                r.outcome := v_why;
                r.retry_after := 0;
                return next r;
                continue;
            end if;
            -- Admitted: from here on nothing refuses. The period rolls first if it ended.
            if c.period_start < c_boundary then
                if c.spent > 0 then
                    e := ledger_entry_row(c.id, c.journal_seq + 1, c.journal_head, 'roll',
                        c.spent, 'spent', 'available', null, p_now);
                    j := j || e;
                    c.journal_seq := e.seq;
                    c.journal_head := e.hash;
                end if;
                c.spent := 0;
                c.period_start := c_boundary;
            end if;
            if v_op = 'reserve' then
                e := ledger_entry_row(c.id, c.journal_seq + 1, c.journal_head, 'reserve',
                    v_amount, 'available', 'reserved', p_key[i], p_now);
                c.reserved := c.reserved + v_amount;
            else
                e := ledger_entry_row(c.id, c.journal_seq + 1, c.journal_head, 'capture',
                    v_amount, 'available', 'spent', p_key[i], p_now);
                v_old := c.spent;
                c.spent := c.spent + v_amount;
                r.entry_seq := e.seq;
                r.entry_hash := e.hash;
                r.issued_at := extract(epoch from p_now)::bigint;
            end if;
            j := j || e;
            c.journal_seq := e.seq;
            c.journal_head := e.hash;
            c.day_used := v_day + v_amount;
            c.day_of := v_today;
            c_dirty := true;
            insert into reservation (envelope_id, idempotency_key, kind, amount, captured,
                state, expires_at, agent, guarded, context, resolved_at, entry_seq, entry_hash,
                issued_at, day_of)
            values (v_env, p_key[i], 'draw', v_amount,
                case when v_op = 'draw' then v_amount else 0 end,
                case when v_op = 'draw' then 'captured' else 'pending' end,
                now() + p_ttl_ms[i] * interval '1 millisecond', c.agent,
                v_guarded and v_op = 'reserve', p_context[i]::jsonb,
                case when v_op = 'draw' then now() end, r.entry_seq, r.entry_hash, r.issued_at,
                v_today)
            on conflict (envelope_id, idempotency_key) do update set
                amount = excluded.amount, captured = excluded.captured, state = excluded.state,
                expires_at = excluded.expires_at, guarded = excluded.guarded,
                context = excluded.context, created_at = now(),
                resolved_at = excluded.resolved_at, entry_seq = excluded.entry_seq,
                entry_hash = excluded.entry_hash, issued_at = excluded.issued_at, refunded = 0,
                day_of = excluded.day_of
             where reservation.kind = 'draw' and reservation.state in ('released', 'expired')
            returning id, expires_at into r.reservation_id, r.expires_at;
            if r.reservation_id is null then
                raise exception 'ledger: key % of % was taken under the envelope lock',
                    p_key[i], v_env;
            end if;
            if v_guarded then
                if g.window_start <= now() - interval '1 minute' then
                    g.window_start := now();
                    g.window_count := 1;
                else
                    g.window_count := g.window_count + 1;
                end if;
                if v_op = 'reserve' then
                    g.in_flight := g.in_flight + 1;
                end if;
                g_dirty := true;
            end if;
            if v_loop > 0 then
                insert into request_fingerprint (agent, fingerprint, window_start, count)
                values (c.agent, p_print[i], now(), 1)
                on conflict (agent, fingerprint) do update set
                    count = case when request_fingerprint.window_start
                        <= now() - interval '1 minute' then 1
                        else request_fingerprint.count + 1 end,
                    window_start = case when request_fingerprint.window_start
                        <= now() - interval '1 minute' then now()
                        else request_fingerprint.window_start end;
            end if;
            if v_op = 'reserve' then
                r.outcome := 'reserved';
                r.entry_seq := null;
                return next r;
                continue;
            end if;
            v_task := p_context[i]::jsonb ->> 'taskId';
            r.outcome := 'captured_now';
        else
            -- capture, release, expire: the reservation, locked after its envelope.
            select id, envelope_id, idempotency_key, kind, amount, captured, state, agent,
                   guarded, expires_at, coalesce(day_of, (created_at at time zone 'UTC')::date) as day,
                   context ->> 'taskId' as task
              into x from reservation where id = p_res[i] and envelope_id = v_env for update;
            r.reservation_id := p_res[i];
            if not found or x.kind <> 'draw' or not c_loaded then
                r.outcome := case when v_op = 'capture' then 'no_such_reservation'
                    else 'reservation_released' end;
                r.envelope_id := null;
                r.idempotency_key := null;
                return next r;
                continue;
            end if;
            r.idempotency_key := x.idempotency_key;
            if v_op = 'capture' then
                if x.state not in ('pending', 'settlement_unknown') or v_amount > x.amount then
                    r.outcome := case
                        when x.state = 'captured' and x.captured = v_amount then 'captured'
                        when x.state = 'captured' then 'reservation_captured'
                        when v_amount > x.amount then 'capture_exceeds_reservation'
                        else 'reservation_released' end;
                    return next r;
                    continue;
                end if;
            elsif not (case when v_op = 'expire' then x.state = 'pending' and x.expires_at <= now()
                    else x.state in ('pending', 'settlement_unknown') end) then
                r.outcome := case when x.state = 'captured' then 'reservation_captured'
                    else 'reservation_released' end;
                r.amount := null;
                return next r;
                continue;
            end if;
            -- The draw ends: its agent holds one task fewer.
            if x.guarded then
                if x.agent = c.agent then
                    if not g_loaded then
                        select * into g from agent_guard where agent = c.agent for update;
                        g_loaded := found;
                    end if;
                    g.in_flight := g.in_flight - 1;
                    g_dirty := true;
                else
                    update agent_guard set in_flight = in_flight - 1 where agent = x.agent;
                end if;
            end if;
            if v_op <> 'capture' then
                e := ledger_entry_row(c.id, c.journal_seq + 1, c.journal_head, 'release',
                    x.amount, 'reserved', 'available', x.idempotency_key, p_now);
                j := j || e;
                c.journal_seq := e.seq;
                c.journal_head := e.hash;
                c.reserved := c.reserved - x.amount;
                if c.day_of = x.day then
                    c.day_used := greatest(c.day_used - x.amount, 0);
                end if;
                c_dirty := true;
                update reservation set state = case when v_op = 'expire' then 'expired'
                    else 'released' end, resolved_at = now()
                 where id = x.id;
                r.outcome := 'released';
                r.amount := x.amount;
                return next r;
                continue;
            end if;
            -- The capture, after the period roll if one is due; the rest returns.
            if c.period_start < c_boundary then
                if c.spent > 0 then
                    e := ledger_entry_row(c.id, c.journal_seq + 1, c.journal_head, 'roll',
                        c.spent, 'spent', 'available', null, p_now);
                    j := j || e;
                    c.journal_seq := e.seq;
                    c.journal_head := e.hash;
                end if;
                c.spent := 0;
                c.period_start := c_boundary;
            end if;
            e := ledger_entry_row(c.id, c.journal_seq + 1, c.journal_head, 'capture', v_amount,
                'reserved', 'spent', x.idempotency_key, p_now);
            j := j || e;
            c.journal_seq := e.seq;
            c.journal_head := e.hash;
            r.entry_seq := e.seq;
            r.entry_hash := e.hash;
            r.issued_at := extract(epoch from p_now)::bigint;
            v_rest := x.amount - v_amount;
            if v_rest > 0 then
                e := ledger_entry_row(c.id, c.journal_seq + 1, c.journal_head, 'release',
                    v_rest, 'reserved', 'available', x.idempotency_key, p_now);
                j := j || e;
                c.journal_seq := e.seq;
                c.journal_head := e.hash;
                if c.day_of = x.day then
                    c.day_used := greatest(c.day_used - v_rest, 0);
                end if;
            end if;
            v_old := c.spent;
            c.spent := c.spent + v_amount;
            c.reserved := c.reserved - x.amount;
            c_dirty := true;
            update reservation set state = 'captured', captured = v_amount, resolved_at = now(),
                entry_seq = r.entry_seq, entry_hash = r.entry_hash, issued_at = r.issued_at
             where id = x.id;
            v_task := x.task;
            r.outcome := 'captured_now';
        end if;

        -- Spent grew (a capture or a one-phase draw): soft-limit notices, each once per
        -- threshold and period (unique key). All reached thresholds are looked at on an
        -- envelope's first spend in a batch, after that only the ones this spend crossed.
        if c.budget > 0 and exists (select 1 from unnest(coalesce(c.soft_limits, p_soft)) t
                where c.spent::numeric * 100 >= t::numeric * c.budget
                  and (not c_noticed or v_old::numeric * 100 < t::numeric * c.budget)) then
            insert into ledger_notice (envelope_id, period_start, threshold, budget, spent,
                task_id)
            select c.id, c.period_start, t, c.budget, c.spent, v_task
              from unnest(coalesce(c.soft_limits, p_soft)) as t
             where c.spent::numeric * 100 >= t::numeric * c.budget
            on conflict on constraint ledger_notice_once do nothing;
            if found then
                perform pg_notify('purser_ledger_notice', c.id);
            end if;
        end if;
        c_noticed := true;
        -- A child's spend reaches its ancestors: write the child first, as ledger_spend locks
        -- and writes each ancestor itself.
        if c.parent is not null and v_amount > 0 then
            perform ledger_flush(c, c_dirty, g, g_dirty, j);
            j := '{}';
            c_dirty := false;
            g_dirty := false;
            perform ledger_spend_ancestors(c.id, v_amount, p_now, p_soft, v_task);
        end if;
        return next r;
    end loop;
    if c_loaded then
        perform ledger_flush(c, c_dirty, g, g_dirty, j);
    end if;
end $$;
