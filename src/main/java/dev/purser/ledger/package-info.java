/**
 * The ledger (DESIGN §5, §8): budget envelopes drawn down in two phases (reserve, then capture or
 * release), a double-entry journal hash-chained per envelope, and receipts signed by the server
 * key. {@link dev.purser.ledger.Envelopes} is the whole public API; everything else is either a
 * value it returns or private to the package.
 *
 * <p>Invariants: {@code 0 <= spent}, {@code 0 <= reserved}, {@code spent + reserved <= budget},
 * each enforced by PostgreSQL in the very statement that changes the row (CHECK constraints plus
 * conditional UPDATEs), never by a read in Java followed by a write, so they hold across threads,
 * instances and kill -9. Each draw's idempotency key is a unique key written in the reserving
 * transaction; a captured draw is never captured again. Every journal append locks its envelope
 * row, so the chain of {@code prevHash} never forks. Refusals are values
 * ({@link dev.purser.ledger.Refusal}), never exceptions. The draw path (reserve, capture,
 * release) runs as SQL functions (migration V11), concurrent draws on an envelope batched into
 * one transaction by {@code DrawBatcher}; a recurring budget rolls in the UPDATE that draws;
 * soft-limit notices are written in the capturing transaction, once per period and threshold (a
 * unique key), to an outbox that {@code task} delivers.
 *
 * <p>Depends on {@code money}, {@code crypto}, {@code auth} and {@code boot}'s configuration only.
 * The guards (rate, concurrency, loop, daily and per-request caps) live here rather than in a
 * package of their own because they are checked in the reserving transaction itself.
 */
package dev.purser.ledger;
