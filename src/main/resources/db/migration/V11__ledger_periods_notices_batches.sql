-- The ledger, second step: recurring budgets (period roll), soft-limit notices with their outbox,
-- refunds, receipts signed after commit, and the draw path as server-side functions so that a
-- batch of concurrent draws costs one round trip and one commit (group commit). Every money
-- invariant stays in SQL: each draw is still its own conditional UPDATE, run by the functions
-- below, on top of the CHECK constraints of V10.

-- The start of the envelope's current budget period; '-infinity' for a one-off budget. A draw
-- whose period boundary is later rolls the envelope in its own UPDATE: spent starts over.
alter table envelope add column period_start timestamptz not null default '-infinity';
-- Where soft-limit notices go (the principal's webhook); null = PURSER_LEDGER_WEBHOOK.
alter table envelope add column webhook text;
-- Soft-limit thresholds in percent of the budget; null = PURSER_SOFT_LIMITS.
alter table envelope add column soft_limits integer[]
    check (1 <= all (soft_limits) and 100 >= all (soft_limits));

-- A capture fixes its receipt's content (entry and time) in the capturing transaction; the
-- signature is made after commit and stored in receipt, so signing never holds a lock. Any
-- instance can sign a missing one again: the content is fixed and the signature deterministic.
alter table reservation add column entry_seq bigint;
alter table reservation add column entry_hash text;
alter table reservation add column issued_at bigint;
alter table reservation add column refunded bigint not null default 0 check (refunded >= 0);
alter table reservation add constraint reservation_refunded_within_captured
    check (refunded <= captured);

alter table journal_entry drop constraint journal_entry_type_check;
alter table journal_entry add constraint journal_entry_type_check check (type in ('open',
    'reserve', 'capture', 'release', 'refund', 'carve_out', 'carve_return', 'roll'));

-- Refunds of captured draws, each exactly once per refund key.
create table refund (
    envelope_id      text        not null references envelope (id),
    refund_key       text        not null,
    reservation_id   bigint      not null references reservation (id),
    amount           bigint      not null check (amount > 0),
    created_at       timestamptz not null default now(),
    constraint refund_pk primary key (envelope_id, refund_key)
);

-- Soft-limit notices and their delivery outbox. The unique key makes each threshold fire once
-- per envelope and period, whatever the concurrency; the row is written in the capturing
-- transaction, so a notice is never lost and never invented.
create table ledger_notice (
    id               bigserial   primary key,
    envelope_id      text        not null references envelope (id),
    period_start     timestamptz not null,
    threshold        integer     not null check (threshold between 1 and 100),
    budget           bigint      not null,
    spent            bigint      not null,
    task_id          text,
    created_at       timestamptz not null default now(),
    attempts         integer     not null default 0 check (attempts >= 0),
    due_at           timestamptz not null default now(),
    locked_until     timestamptz,
    delivered_at     timestamptz,
    last_error       text,
    pushed           boolean     not null default false,
    constraint ledger_notice_once unique (envelope_id, period_start, threshold)
);
create index ledger_notice_due on ledger_notice (due_at) where delivered_at is null;

-- What each draw-path function answers per operation.
create type ledger_result as (
    outcome          text,
    envelope_id      text,
    idempotency_key  text,
    reservation_id   bigint,
    expires_at       timestamptz,
    retry_after      bigint,
    amount           bigint,
    entry_seq        bigint,
    entry_hash       text,
    issued_at        bigint
);

-- The start of the period that contains p_now (UTC): day, ISO week (Monday) or month.
create function ledger_period_start(p_recurrence text, p_now timestamptz) returns timestamptz
    language sql stable as $$
    select case p_recurrence
        when 'daily' then date_trunc('day', p_now at time zone 'UTC') at time zone 'UTC'
        when 'weekly' then date_trunc('week', p_now at time zone 'UTC') at time zone 'UTC'
        when 'monthly' then date_trunc('month', p_now at time zone 'UTC') at time zone 'UTC'
        else '-infinity'::timestamptz
    end
$$;

-- A journal entry's RFC 8785 form without hash (keys sorted; every value is plain ASCII, so no
-- escaping is needed), byte for byte what dev.purser.ledger.JournalEntry hashes.
create function ledger_entry_doc(p_seq bigint, p_type text, p_amount bigint, p_debit text,
        p_credit text, p_key text, p_at timestamptz, p_prev text) returns text
    language sql stable as $$
    select '{"amount":"' || p_amount || '","at":"'
        || to_char(p_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
        || '","credit":"' || p_credit || '","debit":"' || p_debit
        || '","idempotencyKey":' || coalesce('"' || p_key || '"', 'null')
        || ',"prevHash":"' || p_prev || '","seq":' || p_seq || ',"type":"' || p_type || '"}'
$$;

create function ledger_hash(p_doc text) returns text language sql immutable as $$
    select '0x' || encode(sha256(convert_to(p_doc, 'UTF8')), 'hex')
$$;

create function ledger_insert_entry(p_env text, p_seq bigint, p_type text, p_amount bigint,
        p_debit text, p_credit text, p_key text, p_doc text, p_prev text, p_hash text)
    returns void language sql as $$
    insert into journal_entry (envelope_id, seq, type, amount, debit, credit, idempotency_key,
        doc, prev_hash, hash)
    values (p_env, p_seq, p_type, p_amount, p_debit, p_credit, p_key, p_doc, p_prev, p_hash)
$$;

-- Why a reservation of p_amount is refused now (the conditional UPDATE matched no row).
create function ledger_why_not(p_env text, p_amount bigint, p_now timestamptz) returns text
    language sql stable as $$
    select case
        when revoked_at is not null then 'revoked'
        when not_before is not null and not_before > now() then 'not_yet_valid'
        when expires_at is not null and expires_at <= now() then 'expired'
        when per_task_max <> 0 and p_amount > per_task_max then 'request_too_expensive'
        when daily_max <> 0 and p_amount > daily_max - (case when day_of
            = (now() at time zone 'UTC')::date then day_used else 0 end)
            then 'daily_limit_exceeded'
        else 'insufficient_budget'
    end
    from envelope where id = p_env
$$;

-- Records the soft-limit notices the envelope's spent has reached this period, once each.
create function ledger_soft_limits(p_env text, p_soft integer[], p_task text) returns void
    language plpgsql as $$
begin
    insert into ledger_notice (envelope_id, period_start, threshold, budget, spent, task_id)
    select e.id, e.period_start, t, e.budget, e.spent, p_task
      from envelope e, unnest(coalesce(e.soft_limits, p_soft)) as t
     where e.id = p_env and e.budget > 0
       and e.spent::numeric * 100 >= t::numeric * e.budget
    on conflict on constraint ledger_notice_once do nothing;
    if found then
        perform pg_notify('purser_ledger_notice', p_env);
    end if;
end $$;

-- Spends p_amount on envelope p_env out of what it holds reserved (a capture, or a child's
-- capture reaching its parent's carve-out), rolling the period first if a boundary passed, in
-- one conditional UPDATE. p_returned goes back to available. Answers the capture entry.
create function ledger_spend(p_env text, p_key text, p_reserved bigint, p_amount bigint,
        p_day date, p_now timestamptz, p_soft integer[], p_task text,
        out o_seq bigint, out o_hash text)
    language plpgsql as $$
declare
    e record;
    v_boundary timestamptz;
    v_returned bigint := p_reserved - p_amount;
    v_seq bigint;
    v_head text;
    v_docs text[] := '{}';
    v_types text[] := '{}';
    v_amounts bigint[] := '{}';
    v_debits text[] := '{}';
    v_credits text[] := '{}';
    v_prevs text[] := '{}';
    v_hashes text[] := '{}';
    v_keys text[] := '{}';
    v_doc text;
    i integer;
begin
    select journal_seq, journal_head, spent, period_start, recurrence into e
      from envelope where id = p_env for update;
    v_boundary := ledger_period_start(e.recurrence, p_now);
    v_seq := e.journal_seq;
    v_head := e.journal_head;
    if e.period_start < v_boundary and e.spent > 0 then
        v_seq := v_seq + 1;
        v_doc := ledger_entry_doc(v_seq, 'roll', e.spent, 'spent', 'available', null, p_now,
            v_head);
        v_types := v_types || 'roll'::text; v_amounts := v_amounts || e.spent;
        v_keys := v_keys || null::text;
        v_debits := v_debits || 'spent'::text; v_credits := v_credits || 'available'::text;
        v_docs := v_docs || v_doc; v_prevs := v_prevs || v_head;
        v_head := ledger_hash(v_doc); v_hashes := v_hashes || v_head;
    end if;
    v_seq := v_seq + 1;
    v_doc := ledger_entry_doc(v_seq, 'capture', p_amount, 'reserved', 'spent', p_key, p_now,
        v_head);
    v_types := v_types || 'capture'::text; v_amounts := v_amounts || p_amount;
    v_keys := v_keys || p_key;
    v_debits := v_debits || 'reserved'::text; v_credits := v_credits || 'spent'::text;
    v_docs := v_docs || v_doc; v_prevs := v_prevs || v_head;
    v_head := ledger_hash(v_doc); v_hashes := v_hashes || v_head;
    o_seq := v_seq;
    o_hash := v_head;
    if v_returned > 0 then
        v_seq := v_seq + 1;
        v_doc := ledger_entry_doc(v_seq, 'release', v_returned, 'reserved', 'available', p_key,
            p_now, v_head);
        v_types := v_types || 'release'::text; v_amounts := v_amounts || v_returned;
        v_keys := v_keys || p_key;
        v_debits := v_debits || 'reserved'::text; v_credits := v_credits || 'available'::text;
        v_docs := v_docs || v_doc; v_prevs := v_prevs || v_head;
        v_head := ledger_hash(v_doc); v_hashes := v_hashes || v_head;
    end if;
    -- The roll and the spend in one statement: spent starts over when the period changed.
    update envelope set
        spent = (case when period_start < v_boundary then 0 else spent end) + p_amount,
        period_start = greatest(period_start, v_boundary),
        reserved = reserved - p_reserved,
        day_used = case when p_day is not null and day_of = p_day
            then greatest(day_used - v_returned, 0) else day_used end,
        journal_seq = v_seq, journal_head = v_head
     where id = p_env;
    for i in 1 .. array_length(v_docs, 1) loop
        perform ledger_insert_entry(p_env, e.journal_seq + i, v_types[i], v_amounts[i],
            v_debits[i], v_credits[i], v_keys[i], v_docs[i], v_prevs[i], v_hashes[i]);
    end loop;
    perform ledger_soft_limits(p_env, p_soft, p_task);
end $$;

-- One reservation: the key (unique), the agent's guards, loop detection, then the money in one
-- conditional UPDATE that also rolls the period. A refusal after a write raises, which undoes
-- this reservation's writes only (the block is a subtransaction), never the rest of a batch.
create function ledger_reserve_one(p_env text, p_key text, p_amount bigint, p_ttl_ms bigint,
        p_context jsonb, p_print text, p_now timestamptz, p_rate integer, p_concurrency integer,
        p_loop integer) returns ledger_result
    language plpgsql as $$
declare
    r ledger_result;
    v_agent text;
    v_rate integer;
    v_concurrency integer;
    v_loop integer;
    v_guarded boolean;
    x record;
    e record;
    v_today date := (now() at time zone 'UTC')::date;
    v_boundary timestamptz;
    v_seq bigint;
    v_head text;
    v_roll_doc text;
    v_roll_hash text;
    v_doc text;
    v_detail text;
begin
    r.envelope_id := p_env;
    r.idempotency_key := p_key;
    r.amount := p_amount;
    select agent, coalesce(guard_rate, p_rate), coalesce(guard_concurrency, p_concurrency),
           coalesce(guard_loop, p_loop)
      into v_agent, v_rate, v_concurrency, v_loop from envelope where id = p_env;
    if not found then
        r.outcome := 'unknown_mandate';
        return r;
    end if;
    v_guarded := v_rate > 0 or v_concurrency > 0;
    begin
        -- 1. The key first: two requests with it never both get past here. A released or
        -- expired draw never paid, so its key may be armed again.
        insert into reservation (envelope_id, idempotency_key, kind, amount, state, expires_at,
            agent, guarded, context)
        values (p_env, p_key, 'draw', p_amount, 'pending',
            now() + p_ttl_ms * interval '1 millisecond', v_agent, v_guarded, p_context)
        on conflict (envelope_id, idempotency_key) do update set
            amount = excluded.amount, captured = 0, state = 'pending',
            expires_at = excluded.expires_at, guarded = excluded.guarded,
            context = excluded.context, created_at = now(), resolved_at = null,
            entry_seq = null, entry_hash = null, issued_at = null, refunded = 0
         where reservation.kind = 'draw' and reservation.state in ('released', 'expired')
        returning id, expires_at into r.reservation_id, r.expires_at;
        if r.reservation_id is null then
            select kind, amount, state,
                   greatest(1, ceil(extract(epoch from expires_at - now())))::bigint as wait
              into x from reservation where envelope_id = p_env and idempotency_key = p_key;
            if x.kind <> 'draw' or x.amount <> p_amount then
                r.outcome := 'idempotency_key_reused';
            elsif x.state = 'captured' then
                r.outcome := 'captured';
            else
                r.outcome := 'idempotency_key_in_flight';
                r.retry_after := case when x.state = 'pending' then x.wait else 1 end;
            end if;
            return r;
        end if;
        -- 2. The agent's rate (fixed one-minute window) and concurrency, one conditional UPDATE.
        if v_guarded then
            insert into agent_guard (agent) values (v_agent) on conflict (agent) do nothing;
            update agent_guard set
                window_count = case when window_start <= now() - interval '1 minute' then 1
                    else window_count + 1 end,
                window_start = case when window_start <= now() - interval '1 minute' then now()
                    else window_start end,
                in_flight = in_flight + 1
             where agent = v_agent
               and (v_rate = 0 or (case when window_start <= now() - interval '1 minute' then 0
                    else window_count end) < v_rate)
               and (v_concurrency = 0 or in_flight < v_concurrency);
            if not found then
                select in_flight, greatest(1, ceil(extract(epoch from
                       window_start + interval '1 minute' - now())))::bigint as wait
                  into x from agent_guard where agent = v_agent;
                if v_concurrency > 0 and x.in_flight >= v_concurrency then
                    raise exception using errcode = 'PR001', message = 'too_many_concurrent',
                        detail = '1';
                end if;
                raise exception using errcode = 'PR001', message = 'rate_limited',
                    detail = x.wait::text;
            end if;
        end if;
        -- 3. Loop detection: the same request (envelope, amount, memo, skill) per minute.
        if v_loop > 0 then
            insert into request_fingerprint (agent, fingerprint, window_start, count)
            values (v_agent, p_print, now(), 1)
            on conflict (agent, fingerprint) do update set
                count = case when request_fingerprint.window_start <= now() - interval '1 minute'
                    then 1 else request_fingerprint.count + 1 end,
                window_start = case when request_fingerprint.window_start
                    <= now() - interval '1 minute' then now()
                    else request_fingerprint.window_start end
             where (case when request_fingerprint.window_start <= now() - interval '1 minute'
                    then 0 else request_fingerprint.count end) < v_loop;
            if not found then
                raise exception using errcode = 'PR001', message = 'loop_detected',
                    detail = '60';
            end if;
        end if;
        -- 4. The money. The row lock orders this envelope's journal; the WHERE clause is the
        -- invariant, with the period rolled in the same statement.
        select journal_seq, journal_head, spent, period_start, recurrence into e
          from envelope where id = p_env for update;
        v_boundary := ledger_period_start(e.recurrence, p_now);
        v_seq := e.journal_seq;
        v_head := e.journal_head;
        if e.period_start < v_boundary and e.spent > 0 then
            v_seq := v_seq + 1;
            v_roll_doc := ledger_entry_doc(v_seq, 'roll', e.spent, 'spent', 'available', null,
                p_now, v_head);
            v_roll_hash := ledger_hash(v_roll_doc);
        end if;
        v_doc := ledger_entry_doc(v_seq + 1, 'reserve', p_amount, 'available', 'reserved',
            p_key, p_now, coalesce(v_roll_hash, v_head));
        update envelope set
            spent = case when period_start < v_boundary then 0 else spent end,
            period_start = greatest(period_start, v_boundary),
            reserved = reserved + p_amount,
            day_used = (case when day_of = v_today then day_used else 0 end) + p_amount,
            day_of = v_today,
            journal_seq = v_seq + 1,
            journal_head = ledger_hash(v_doc)
         where id = p_env and revoked_at is null
           and (not_before is null or not_before <= now())
           and (expires_at is null or expires_at > now())
           and (per_task_max = 0 or p_amount <= per_task_max)
           and p_amount <= budget - (case when period_start < v_boundary then 0 else spent end)
               - reserved
           and (daily_max = 0 or p_amount <= daily_max
               - (case when day_of = v_today then day_used else 0 end));
        if not found then
            raise exception using errcode = 'PR001',
                message = ledger_why_not(p_env, p_amount, p_now), detail = '0';
        end if;
        if v_roll_doc is not null then
            perform ledger_insert_entry(p_env, v_seq, 'roll', e.spent, 'spent', 'available',
                null, v_roll_doc, v_head, v_roll_hash);
        end if;
        perform ledger_insert_entry(p_env, v_seq + 1, 'reserve', p_amount, 'available',
            'reserved', p_key, v_doc, coalesce(v_roll_hash, v_head), ledger_hash(v_doc));
        r.outcome := 'reserved';
        return r;
    exception when sqlstate 'PR001' then
        get stacked diagnostics v_detail = pg_exception_detail;
        r.outcome := sqlerrm;
        r.reservation_id := null;
        r.expires_at := null;
        r.retry_after := v_detail::bigint;
        return r;
    end;
end $$;

-- One capture of a pending (or settlement-unknown) draw: at most the reserved amount, the rest
-- returns; the same amount is spent on every ancestor's carve-out. The receipt's content is fixed
-- here; its signature is made after commit.
create function ledger_capture_one(p_res bigint, p_amount bigint, p_now timestamptz,
        p_soft integer[]) returns ledger_result
    language plpgsql as $$
declare
    r ledger_result;
    v record;
    x record;
    v_child text;
    v_parent text;
    v_seq bigint;
    v_hash text;
begin
    r.reservation_id := p_res;
    r.amount := p_amount;
    update reservation set state = 'captured', captured = p_amount, resolved_at = now()
     where id = p_res and kind = 'draw' and state in ('pending', 'settlement_unknown')
       and p_amount <= amount
    returning envelope_id, idempotency_key, amount, agent, guarded,
        (created_at at time zone 'UTC')::date as day, context ->> 'taskId' as task into v;
    if not found then
        select state, amount, captured, envelope_id, idempotency_key, kind into x
          from reservation where id = p_res;
        if not found or x.kind <> 'draw' then
            r.outcome := 'no_such_reservation';
            return r;
        end if;
        r.envelope_id := x.envelope_id;
        r.idempotency_key := x.idempotency_key;
        r.outcome := case
            when x.state = 'captured' and x.captured = p_amount then 'captured'
            when x.state = 'captured' then 'reservation_captured'
            when p_amount > x.amount then 'capture_exceeds_reservation'
            else 'reservation_released' end;
        return r;
    end if;
    r.envelope_id := v.envelope_id;
    r.idempotency_key := v.idempotency_key;
    if v.guarded then
        update agent_guard set in_flight = in_flight - 1 where agent = v.agent;
    end if;
    select o_seq, o_hash into v_seq, v_hash from ledger_spend(v.envelope_id,
        v.idempotency_key, v.amount, p_amount, v.day, p_now, p_soft, v.task);
    r.entry_seq := v_seq;
    r.entry_hash := v_hash;
    r.issued_at := extract(epoch from p_now)::bigint;
    update reservation set entry_seq = r.entry_seq, entry_hash = r.entry_hash,
        issued_at = r.issued_at where id = p_res;
    -- A child's spend is spent on each ancestor, out of the carve-out it holds for the child.
    v_child := v.envelope_id;
    if p_amount > 0 then
        loop
            select parent into v_parent from envelope where id = v_child;
            exit when v_parent is null;
            update reservation set captured = captured + p_amount
             where envelope_id = v_parent and idempotency_key = v_child and kind = 'carve_out'
               and p_amount <= amount - captured;
            if not found then
                raise exception 'child % spent past its carve-out', v_child;
            end if;
            perform ledger_spend(v_parent, v_child, p_amount, p_amount, null, p_now, p_soft,
                v.task);
            v_child := v_parent;
        end loop;
    end if;
    r.outcome := 'captured_now';
    return r;
end $$;

-- One release: of a pending or settlement-unknown draw (p_only_expired false), or, for the
-- sweeper, of a pending draw past its TTL only.
create function ledger_release_one(p_res bigint, p_only_expired boolean, p_now timestamptz)
    returns ledger_result
    language plpgsql as $$
declare
    r ledger_result;
    v record;
    e record;
    v_doc text;
begin
    r.reservation_id := p_res;
    update reservation set state = case when p_only_expired then 'expired' else 'released' end,
        resolved_at = now()
     where id = p_res and kind = 'draw'
       and (case when p_only_expired then state = 'pending' and expires_at <= now()
            else state in ('pending', 'settlement_unknown') end)
    returning envelope_id, idempotency_key, amount, agent, guarded,
        (created_at at time zone 'UTC')::date as day into v;
    if not found then
        select state into r.outcome from reservation where id = p_res;
        r.outcome := case when r.outcome = 'captured' then 'reservation_captured'
            else 'reservation_released' end;
        return r;
    end if;
    r.envelope_id := v.envelope_id;
    r.idempotency_key := v.idempotency_key;
    r.amount := v.amount;
    if v.guarded then
        update agent_guard set in_flight = in_flight - 1 where agent = v.agent;
    end if;
    select journal_seq, journal_head into e from envelope where id = v.envelope_id for update;
    v_doc := ledger_entry_doc(e.journal_seq + 1, 'release', v.amount, 'reserved', 'available',
        v.idempotency_key, p_now, e.journal_head);
    update envelope set reserved = reserved - v.amount,
        day_used = case when day_of = v.day then greatest(day_used - v.amount, 0)
            else day_used end,
        journal_seq = e.journal_seq + 1, journal_head = ledger_hash(v_doc)
     where id = v.envelope_id;
    perform ledger_insert_entry(v.envelope_id, e.journal_seq + 1, 'release', v.amount,
        'reserved', 'available', v.idempotency_key, v_doc, e.journal_head, ledger_hash(v_doc));
    r.outcome := 'released';
    return r;
end $$;

-- A batch of draw operations in one transaction (group commit), in order, each answered.
-- p_op[i] is reserve, capture, release or expire; the other arrays hold its arguments.
create function ledger_apply(p_op text[], p_env text[], p_key text[], p_res bigint[],
        p_amount bigint[], p_ttl_ms bigint[], p_context text[], p_print text[],
        p_now timestamptz, p_rate integer, p_concurrency integer, p_loop integer,
        p_soft integer[]) returns setof ledger_result
    language plpgsql as $$
declare
    i integer;
    r ledger_result;
begin
    for i in 1 .. coalesce(array_length(p_op, 1), 0) loop
        r := case p_op[i]
            when 'reserve' then ledger_reserve_one(p_env[i], p_key[i], p_amount[i], p_ttl_ms[i],
                p_context[i]::jsonb, p_print[i], p_now, p_rate, p_concurrency, p_loop)
            when 'capture' then ledger_capture_one(p_res[i], p_amount[i], p_now, p_soft)
            when 'release' then ledger_release_one(p_res[i], false, p_now)
            when 'expire' then ledger_release_one(p_res[i], true, p_now)
        end;
        return next r;
    end loop;
end $$;

-- Receipts stored before V11 lend their content to their reservations.
update reservation r set entry_seq = rc.entry_seq, entry_hash = rc.entry_hash,
    issued_at = rc.issued_at
  from receipt rc where rc.reservation_id = r.id;
