-- A metered call's row follows its reservation (whose context names the 'metered' reconciler, V14)
-- in the ledger's own transactions: written when the hold is made, deleted when the hold is
-- captured or released. The call's bookkeeping so costs no commit of its own (it was two before the
-- work and one after), and the crash-safety argument is stronger than before: a hold of a metered
-- call is never settlement-unknown without its row, nor its row left behind a resolved hold.
create function metered_call_follows_reservation() returns trigger
language plpgsql as $$
begin
    if new.state = 'settlement_unknown' then
        insert into metered_call (reservation_id, envelope_id, idempotency_key, amount, model, state)
        values (new.id, new.envelope_id, new.idempotency_key, new.amount,
                coalesce(new.context ->> 'skill', ''), 'calling')
        on conflict (reservation_id) do update set envelope_id = excluded.envelope_id,
            idempotency_key = excluded.idempotency_key, amount = excluded.amount,
            model = excluded.model, state = 'calling', started_at = now(), seen_at = now();
    elsif new.state <> 'pending' then
        delete from metered_call where reservation_id = new.id;
    end if;
    return null;
end;
$$;

create trigger metered_call_follows_reservation after insert or update of state on reservation
    for each row when (new.context ->> 'reconciler' = 'metered')
    execute function metered_call_follows_reservation();
