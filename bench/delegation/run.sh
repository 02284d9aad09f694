#!/usr/bin/env bash
# Delegation overhead benchmark: the same echo request sent directly to an @a2a-js/sdk agent and
# through Purser delegating to it (a free service, and a paid one: x402 on both hops), at a few
# concurrencies, on loopback; writes bench/delegation/results-<date>.md. See README.md.
#
#   bench/delegation/run.sh            # from the repository root
#
# Environment (defaults in brackets): PORT [18080] Purser's HTTP port, CONCURRENCY ["1 8 32"],
#   REQUESTS [400] measured requests per target and concurrency, WARMUP [100] unmeasured ones
#   before each, PAID [1] (0: free service only), OUT [results-YYYY-MM-DD.md, -HHMMSS if taken],
#   NOTE [free text]. Starts (and stops) its own Purser (./purser, a fresh PURSER_DATA_DIR) and
#   two agents; everything listens on 127.0.0.1 only.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PORT="${PORT:-18080}"
CONCURRENCY="${CONCURRENCY:-1 8 32}"
REQUESTS="${REQUESTS:-400}"
WARMUP="${WARMUP:-100}"
PAID="${PAID:-1}"
TOKEN="bench-operator-token"
PAY_TO="0x00000000000000000000000000000000000be7c4"   # the paid agent's payee (not the operator)
PEERS="$ROOT/target/node-peers"                      # the tests' npm install (A2aJsAgent.PACKAGES)
PACKAGES="@a2a-js/sdk@1.3.0 express@5.3.0 viem@2.57.20"

die() { echo "run.sh: $*" >&2; exit 2; }
command -v node >/dev/null && command -v npm >/dev/null || die "node and npm are needed"
command -v curl >/dev/null || die "curl not found"
if [ -z "${OUT:-}" ]; then
  OUT="$HERE/results-$(date -u +%Y-%m-%d).md"
  [ -e "$OUT" ] && OUT="$HERE/results-$(date -u +%Y-%m-%d-%H%M%S).md"
fi
RAW="$HERE/tmp/$(date -u +%Y%m%d-%H%M%S)"   # logs and JSON lines (git-ignored)
mkdir -p "$RAW" "$PEERS"

# The same pinned packages the tests install; installed here only when missing.
for spec in $PACKAGES; do
  [ -f "$PEERS/node_modules/${spec%@*}/package.json" ] && continue
  [ -f "$PEERS/package.json" ] || echo '{"private":true,"type":"module"}' > "$PEERS/package.json"
  (cd "$PEERS" && npm install --no-audit --no-fund --loglevel=error $PACKAGES)
  break
done
cp "$ROOT/src/test/resources/a2a/a2a-js-agent.mjs" "$ROOT/src/test/resources/x402/eip3009.mjs" \
  "$HERE/load.mjs" "$PEERS/"

PIDS=()
cleanup() {
  local p; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$RAW/purser-data"   # the embedded database: large, and of no use after the run
}
trap cleanup EXIT

# Starts an a2a-js agent with the settings JSON $2; sets the variable named $1 to its port.
agent() {
  local log="$RAW/agent-$1.out" i
  (cd "$PEERS" && exec node a2a-js-agent.mjs "$2" > "$log" 2> "$RAW/agent-$1.log") &
  PIDS+=($!)
  for i in $(seq 1 100); do
    grep -q '^LISTENING ' "$log" 2>/dev/null && break
    sleep 0.2
  done
  printf -v "$1" '%s' "$(awk '/^LISTENING / {print $2; exit}' "$log")"
  [ -n "${!1}" ] || die "agent $1 did not start; see $RAW/agent-$1.log"
}
agent FREE_PORT '{"name": "bench echo", "skill": "bench-echo"}'
agent PAID_PORT '{"name": "bench paid echo", "skill": "bench-echo-paid", "price": "1000", "payTo": "'"$PAY_TO"'"}'

# Purser, with its own data directory (embedded PostgreSQL) and a known operator token.
export PURSER_DATA_DIR="$RAW/purser-data" QUARKUS_HTTP_PORT="$PORT" QUARKUS_HTTP_HOST=127.0.0.1 \
  PURSER_MARKET_ALLOW_PRIVATE=true PURSER_OPERATOR_TOKEN="$TOKEN"
"$ROOT/purser" > "$RAW/purser.log" 2>&1 &
PIDS+=($!)
for i in $(seq 1 240); do
  curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null 2>&1 && break
  kill -0 "${PIDS[-1]}" 2>/dev/null || die "purser exited; see $RAW/purser.log"
  sleep 0.5
done
curl -sf "http://127.0.0.1:$PORT/q/health/ready" >/dev/null || die "purser not ready; see $RAW/purser.log"

# Purser's embedded PostgreSQL, to count what each request costs it (commits, rows written).
PGPORT=$(sed -n 4p "$(find "$PURSER_DATA_DIR" -name postmaster.pid | head -n 1)" 2>/dev/null || true)
pg_counts() {
  [ -n "$PGPORT" ] && command -v psql >/dev/null || { echo "0 0"; return; }
  sleep 1.5   # backends flush their statistics about once a second
  psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -Atc \
    "select sum(xact_commit), sum(tup_inserted + tup_updated + tup_deleted) from pg_stat_database" \
    | tr '|' ' '
}

register() {
  curl -sf -X POST "http://127.0.0.1:$PORT/api/market/providers" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -d "$1" > /dev/null || die "registering $1 failed"
}
register '{"cardUrl": "http://127.0.0.1:'"$FREE_PORT"'/.well-known/agent-card.json"}'
register '{"cardUrl": "http://127.0.0.1:'"$PAID_PORT"'/.well-known/agent-card.json", "fee": {"amount": "100"}}'

# target label, URL, skill (empty: none)
# local-*: Purser's own demo skills (echo, echo-paid), no delegation: what Purser costs by itself.
TARGETS=("direct-free|http://127.0.0.1:$FREE_PORT/a2a/jsonrpc|"
         "local-free|http://127.0.0.1:$PORT/api/a2a|echo"
         "purser-free|http://127.0.0.1:$PORT/api/a2a|bench-echo")
if [ "$PAID" = 1 ]; then
  TARGETS+=("direct-paid|http://127.0.0.1:$PAID_PORT/a2a/jsonrpc|"
            "local-paid|http://127.0.0.1:$PORT/api/a2a|echo-paid"
            "purser-paid|http://127.0.0.1:$PORT/api/a2a|bench-echo-paid")
fi

: > "$RAW/results.jsonl"
for c in $CONCURRENCY; do
  for t in "${TARGETS[@]}"; do
    IFS='|' read -r label url skill <<< "$t"
    load=$(cut -d' ' -f1 /proc/loadavg)
    read -r commits0 rows0 < <(pg_counts)
    line=$(cd "$PEERS" && node load.mjs '{"label": "'"$label"'", "url": "'"$url"'", "skill": "'"$skill"'", "concurrency": '"$c"', "requests": '"$REQUESTS"', "warmup": '"$WARMUP"'}' 2>> "$RAW/load.log")
    read -r commits1 rows1 < <(pg_counts)
    n=$((REQUESTS + WARMUP))
    echo "${line%\}}, \"load\": $load, \"commits\": $(awk "BEGIN {printf \"%.1f\", ($commits1 - $commits0) / $n}"), \"rows\": $(awk "BEGIN {printf \"%.1f\", ($rows1 - $rows0) / $n}")}" \
      | tee -a "$RAW/results.jsonl"
  done
done

# The table, and Purser's added latency (p50 through Purser − p50 direct) per service and concurrency.
{
  echo "# Delegation overhead, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), shared;"
  echo "node $(node --version); $(. "$ROOT/.mvn/find-jdk.sh" && "$JAVA_HOME/bin/java" -version 2>&1 | head -n 1)."
  echo "REQUESTS=$REQUESTS WARMUP=$WARMUP per row; commit $(git -C "$ROOT" rev-parse --short HEAD). ${NOTE:-}"
  echo
  echo "| target | concurrency | ok | errors | p50 ms | p90 ms | p99 ms | max ms | req/s | provider call p50 ms (Purser's record) | DB commits / req | DB rows written / req | load avg before |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  node -e '
    const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
    for (const r of rows) console.log(`| ${r.label} | ${r.concurrency} | ${r.ok} | ${r.errors} | ${r.p50} | ${r.p90} | ${r.p99} | ${r.max} | ${r.rps} | ${r.providerP50 ?? ""} | ${r.label.startsWith("direct-") ? "" : r.commits} | ${r.label.startsWith("direct-") ? "" : r.rows} | ${r.load} |`);
    console.log("\n| service | concurrency | p50 added by Purser ms | p99 added ms | throughput through Purser / direct |");
    console.log("|---|---:|---:|---:|---:|");
    for (const r of rows.filter((r) => r.label.startsWith("purser-"))) {
      const d = rows.find((o) => o.label === r.label.replace("purser-", "direct-") && o.concurrency === r.concurrency);
      if (d) console.log(`| ${r.label.slice(7)} | ${r.concurrency} | ${(r.p50 - d.p50).toFixed(2)} | ${(r.p99 - d.p99).toFixed(2)} | ${(r.rps / d.rps).toFixed(2)} |`);
    }' "$RAW/results.jsonl"
} > "$OUT"
echo "wrote $OUT (raw: $RAW)"
