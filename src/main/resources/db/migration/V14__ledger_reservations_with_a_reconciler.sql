-- A draw whose owner reconciles it itself after a crash (a metered model call, DESIGN §11) names
-- that owner in its context ("reconciler"). Such a reservation is stored settlement-unknown from the
-- moment it is made, in the reservation's own transaction: the sweeper never releases it, and its
-- owner's record of it (written by the owner's trigger on this table, in the same transaction) is
-- what resolves it. Until V14 the owner marked it in a transaction of its own after the hold had
-- committed: two more commits per call, and a window in which the hold was an ordinary pending one.
-- Capture and release accept a settlement-unknown reservation exactly as a pending one.
create function reservation_owned_by_reconciler() returns trigger
language plpgsql as $$
begin
    if new.kind = 'draw' and new.state = 'pending' and new.context ? 'reconciler' then
        new.state := 'settlement_unknown';
    end if;
    return new;
end;
$$;

-- BEFORE INSERT: ledger_apply's upsert of a reused key takes excluded.state, which carries this.
create trigger reservation_owned_by_reconciler before insert on reservation
    for each row execute function reservation_owned_by_reconciler();
