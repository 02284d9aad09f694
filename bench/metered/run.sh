#!/usr/bin/env bash
# Metered-call overhead benchmark: the same OpenAI chat completion sent directly to a small
# OpenAI-compatible upstream (upstream.mjs) and through Purser's /v1 with a session key, streaming
# and not, at a few concurrencies, on loopback; writes bench/metered/results-<date>.md. See README.md.
#
#   bench/metered/run.sh            # from the repository root
#
# Environment (defaults in brackets): PORT [18080] Purser's HTTP port, CONCURRENCY ["1 8 32"],
#   REQUESTS [400] measured requests per row, WARMUP [100] unmeasured ones before each (the
#   per-request costs count the measured ones only), WARM_CALLS [2000] calls through Purser before
#   the first row (half streamed, at c=8: the JIT compiles the call path),
#   PROFILE [1] (0: skip the profile pass: JFR, then every SQL statement logged, at c=1),
#   PROFILE_REQUESTS [300], OUT [results-YYYY-MM-DD.md, -HHMMSS if taken], NOTE [free text].
# Starts (and stops) its own Purser (./purser, a fresh PURSER_DATA_DIR) and upstream; everything
# listens on 127.0.0.1 only. The mandate and the session key are made with ./purser's command
# line exactly as README's "A budget-capped agent in ten lines" shows.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PORT="${PORT:-18080}"
CONCURRENCY="${CONCURRENCY:-1 8 32}"
REQUESTS="${REQUESTS:-400}"
WARMUP="${WARMUP:-100}"
WARM_CALLS="${WARM_CALLS:-2000}"
PROFILE="${PROFILE:-1}"
PROFILE_REQUESTS="${PROFILE_REQUESTS:-300}"
TOKEN="bench-operator-token"
MODEL="gpt-4o-mini"
SERVER="http://127.0.0.1:$PORT"

die() { echo "run.sh: $*" >&2; exit 2; }
command -v node >/dev/null || die "node is needed"
command -v curl >/dev/null || die "curl not found"
if [ -z "${OUT:-}" ]; then
  OUT="$HERE/results-$(date -u +%Y-%m-%d).md"
  [ -e "$OUT" ] && OUT="$HERE/results-$(date -u +%Y-%m-%d-%H%M%S).md"
fi
RAW="$HERE/tmp/$(date -u +%Y%m%d-%H%M%S)"   # logs, keys, JSON lines, the profile (git-ignored)
mkdir -p "$RAW"

PIDS=()
cleanup() {
  local p; for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$RAW/purser-data"   # the embedded database: large, and of no use after the run
}
trap cleanup EXIT

# The upstream: Node's http server, OpenAI's wire format, answers at once.
node "$HERE/upstream.mjs" > "$RAW/upstream.out" 2> "$RAW/upstream.log" &
PIDS+=($!)
for i in $(seq 1 100); do
  grep -q '^LISTENING ' "$RAW/upstream.out" 2>/dev/null && break
  sleep 0.2
done
UP_PORT=$(awk '/^LISTENING / {print $2; exit}' "$RAW/upstream.out")
[ -n "$UP_PORT" ] || die "the upstream did not start; see $RAW/upstream.log"

# Purser, with its own data directory (embedded PostgreSQL) and a known operator token. The
# agent's guards (600 reservations a minute, 16 pending) would refuse a benchmark's pace: raised,
# not turned off, so that their checks still run in the ledger statement. Every request is
# distinct, so the loop guard keeps its default.
export PURSER_DATA_DIR="$RAW/purser-data" QUARKUS_HTTP_PORT="$PORT" QUARKUS_HTTP_HOST=127.0.0.1 \
  PURSER_MARKET_ALLOW_PRIVATE=true PURSER_OPERATOR_TOKEN="$TOKEN" \
  PURSER_GUARD_RATE=10000000 PURSER_GUARD_CONCURRENCY=100000
"$ROOT/purser" > "$RAW/purser.log" 2>&1 &
PIDS+=($!)
PURSER_PID=$!   # the launcher execs java: this is the JVM
for i in $(seq 1 240); do
  curl -sf "$SERVER/q/health/ready" >/dev/null 2>&1 && break
  kill -0 "$PURSER_PID" 2>/dev/null || die "purser exited; see $RAW/purser.log"
  sleep 0.5
done
curl -sf "$SERVER/q/health/ready" >/dev/null || die "purser not ready; see $RAW/purser.log"

# Purser's embedded PostgreSQL, to count what each request costs it (commits, rows written), and
# the CPU time the JVM and PostgreSQL (the postmaster, its backends, and those that exited) used.
PGDATA_PID="$(find "$PURSER_DATA_DIR" -name postmaster.pid | head -n 1)"
PGPORT=$(sed -n 4p "$PGDATA_PID" 2>/dev/null || true)
PGMASTER=$(sed -n 1p "$PGDATA_PID" 2>/dev/null || true)
TICK_MS=$(awk "BEGIN {print 1000 / $(getconf CLK_TCK)}")
psql_() { psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -Atc "$1"; }
cpu_ticks() {   # utime + stime of $1 (+ its waited-for children's with $2 = all)
  awk -v all="${2:-}" '{print $14 + $15 + (all ? $16 + $17 : 0)}' "/proc/$1/stat" 2>/dev/null || echo 0
}
snapshot() {    # commits, rows written, JVM CPU ticks, PostgreSQL CPU ticks
  local counts="0 0" pg=0 child
  sleep 1.5   # backends flush their statistics about once a second
  if [ -n "$PGPORT" ] && command -v psql >/dev/null; then
    counts=$(psql_ "select sum(xact_commit), sum(tup_inserted + tup_updated + tup_deleted) from pg_stat_database" | tr '|' ' ')
  fi
  if [ -n "$PGMASTER" ]; then
    pg=$(cpu_ticks "$PGMASTER" all)
    for child in $(ps -o pid= --ppid "$PGMASTER"); do pg=$((pg + $(cpu_ticks "$child"))); done
  fi
  echo "$counts $(cpu_ticks "$PURSER_PID") $pg"
}

# The operator lists the upstream (README "A budget-capped agent in ten lines", first command).
curl -sf -X POST "$SERVER/api/market/models" -H "Authorization: Bearer $TOKEN" \
  -H 'Content-Type: application/json' -d '{"baseUrl": "http://127.0.0.1:'"$UP_PORT"'/v1",
  "models": {"'"$MODEL"'": {"input": "150000", "output": "600000", "maxOutput": 4096}}}' \
  > "$RAW/upstream-registered.json" || die "registering the upstream failed"

# The principal's mandate and the agent's session key, with the command line as README shows.
(
  cd "$RAW"
  "$ROOT/purser" keygen --out principal.hex > keygen-principal.out 2>&1
  "$ROOT/purser" keygen --out agent.hex > keygen-agent.out 2>&1
  AGENT=$(grep -oE '0x[0-9a-fA-F]{40}' keygen-agent.out | head -n 1)
  [ -n "$AGENT" ] || die "keygen printed no address: $(cat keygen-agent.out)"
  "$ROOT/purser" mandate sign --key principal.hex --agent "$AGENT" --budget 5000000 \
    --skills "$MODEL" --expires-in 1d --post "$SERVER" > mandate-sign.out 2>&1 \
    || die "mandate sign failed: $(cat mandate-sign.out)"
  MANDATE=$(grep -oE '^id: 0x[0-9a-fA-F]{64}' mandate-sign.out | head -n 1 | cut -c5-)
  [ -n "$MANDATE" ] || die "mandate sign printed no \"id: 0x…\": $(cat mandate-sign.out)"
  "$ROOT/purser" mandate key --key agent.hex --id "$MANDATE" --label run-1 --expires-in 12h \
    --out key-request.json --post "$SERVER" > mandate-key.out 2>&1 \
    || die "mandate key failed: $(cat mandate-key.out)"
  grep -oE '"key" *: *"psk_[^"]+"' mandate-key.out | head -n 1 | sed -E 's/.*"(psk_[^"]+)"/\1/' > session.key
  [ -s session.key ] || die "mandate key printed no \"key\": \"psk_…\": $(cat mandate-key.out)"
  echo "$MANDATE" > mandate.id
)
KEY=$(cat "$RAW/session.key")
MANDATE=$(cat "$RAW/mandate.id")

# target label, base URL, key (empty: none)
TARGETS=("direct|http://127.0.0.1:$UP_PORT/v1|" "purser|$SERVER/v1|$KEY")
load() {   # label base key stream concurrency requests warmup
  node "$HERE/load.mjs" '{"label": "'"$1"'", "base": "'"$2"'", "key": "'"$3"'", "model": "'"$MODEL"'",
    "stream": '"$4"', "concurrency": '"$5"', "requests": '"$6"', "warmup": '"$7"'}' 2>> "$RAW/load.log"
}

# A warm server: the first rows would otherwise measure the JIT compiling Purser's call path.
if [ "$WARM_CALLS" -gt 0 ]; then
  for stream in false true; do
    load purser-warm "$SERVER/v1" "$KEY" "$stream" 8 0 "$((WARM_CALLS / 2))" > /dev/null
  done
fi

: > "$RAW/results.jsonl"
for c in $CONCURRENCY; do
  for stream in false true; do
    for t in "${TARGETS[@]}"; do
      IFS='|' read -r label base key <<< "$t"
      loadavg=$(cut -d' ' -f1 /proc/loadavg)
      load "$label-warmup" "$base" "$key" "$stream" "$c" 0 "$WARMUP" > /dev/null
      read -r commits0 rows0 jvm0 pg0 < <(snapshot)
      line=$(load "$label" "$base" "$key" "$stream" "$c" "$REQUESTS" 0)
      read -r commits1 rows1 jvm1 pg1 < <(snapshot)
      n=$REQUESTS
      per() { awk "BEGIN {printf \"%.$3f\", ($2 - $1) * ${4:-1} / $n}"; }
      echo "${line%\}}, \"load\": $loadavg, \"commits\": $(per "$commits0" "$commits1" 1), \"rows\": $(per "$rows0" "$rows1" 1), \"jvmCpu\": $(per "$jvm0" "$jvm1" 2 "$TICK_MS"), \"pgCpu\": $(per "$pg0" "$pg1" 2 "$TICK_MS")}" \
        | tee -a "$RAW/results.jsonl"
    done
  done
done
curl -sf "$SERVER/api/a2a/mandates/$MANDATE" > "$RAW/envelope-after.json" || true

# The profile pass (not in the numbers above): c=1 through Purser, first under JFR (started and
# stopped with jcmd), then with every SQL statement logged by PostgreSQL, to say where a call's
# time goes and how many statements it runs.
PROFILE_MD=""
if [ "$PROFILE" = 1 ]; then
  . "$ROOT/.mvn/find-jdk.sh"
  "$JAVA_HOME/bin/jcmd" "$PURSER_PID" JFR.start name=bench settings=profile \
    filename="$RAW/purser.jfr" > /dev/null
  for stream in false true; do
    load purser-jfr "$SERVER/v1" "$KEY" "$stream" 1 "$PROFILE_REQUESTS" 20 >> "$RAW/profile.jsonl"
  done
  "$JAVA_HOME/bin/jcmd" "$PURSER_PID" JFR.stop name=bench > /dev/null
  "$JAVA_HOME/bin/jfr" view --width 200 hot-methods "$RAW/purser.jfr" > "$RAW/jfr-hot-methods.txt" 2>&1 || true
  "$JAVA_HOME/bin/jfr" summary "$RAW/purser.jfr" > "$RAW/jfr-summary.txt" 2>&1 || true
  "$JAVA_HOME/bin/jfr" view --width 160 latencies-by-type "$RAW/purser.jfr" > "$RAW/jfr-latencies.txt" 2>&1 || true
  "$JAVA_HOME/bin/jfr" print --stack-depth 128 --events jdk.SocketRead,jdk.ThreadPark,jdk.ExecutionSample \
    "$RAW/purser.jfr" | node "$HERE/jfr-sites.mjs" "$((2 * PROFILE_REQUESTS))" > "$RAW/jfr-sites.md" || true

  PGLOG=$(find "$PURSER_DATA_DIR" -name 'postgresql*.log' | head -n 1)
  if [ -n "$PGPORT" ] && [ -n "$PGLOG" ] && command -v psql >/dev/null; then
    for stream in false true; do
      psql_ "alter system set log_min_duration_statement = 0" > /dev/null
      psql_ "select pg_reload_conf()" > /dev/null
      sleep 1
      from=$(wc -c < "$PGLOG")
      load purser-sql "$SERVER/v1" "$KEY" "$stream" 1 50 0 >> "$RAW/profile.jsonl"
      to=$(wc -c < "$PGLOG")
      psql_ "alter system reset log_min_duration_statement" > /dev/null
      psql_ "select pg_reload_conf()" > /dev/null
      tail -c +"$((from + 1))" "$PGLOG" | head -c "$((to - from))" > "$RAW/statements-stream-$stream.log"
    done
    PROFILE_MD=$(node "$HERE/statements.mjs" 50 "$RAW/statements-stream-false.log" "$RAW/statements-stream-true.log")
  fi
fi

# The tables: every row, then Purser's added latency (through Purser − direct) per mode and c.
{
  echo "# Metered-call overhead, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), shared;"
  echo "node $(node --version); $(. "$ROOT/.mvn/find-jdk.sh" && "$JAVA_HOME/bin/java" -version 2>&1 | head -n 1)."
  echo "WARM_CALLS=$WARM_CALLS through Purser first; REQUESTS=$REQUESTS measured after WARMUP=$WARMUP per row (commits, rows and CPU per measured request); commit $(git -C "$ROOT" rev-parse --short HEAD). ${NOTE:-}"
  echo
  echo "| target | stream | c | ok | errors | p50 ms | p90 ms | p99 ms | max ms | ttfb p50 | ttfb p99 | req/s | DB commits / req | DB rows written / req | Purser CPU ms / req | PostgreSQL CPU ms / req | load avg before |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  node -e '
    const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
    const d = (r) => r.label === "direct";
    for (const r of rows) console.log(`| ${r.label} | ${r.stream ? "yes" : "no"} | ${r.concurrency} | ${r.ok} | ${r.errors} | ${r.p50} | ${r.p90} | ${r.p99} | ${r.max} | ${r.ttfb50 ?? ""} | ${r.ttfb99 ?? ""} | ${r.rps} | ${d(r) ? "" : r.commits} | ${d(r) ? "" : r.rows} | ${r.jvmCpu} | ${r.pgCpu} | ${r.load} |`);
    console.log("\n| stream | c | p50 added by Purser ms | p99 added ms | ttfb p50 added ms | throughput through Purser / direct |");
    console.log("|---|---:|---:|---:|---:|---:|");
    for (const r of rows.filter((r) => r.label === "purser")) {
      const o = rows.find((x) => d(x) && x.stream === r.stream && x.concurrency === r.concurrency);
      if (o) console.log(`| ${r.stream ? "yes" : "no"} | ${r.concurrency} | ${(r.p50 - o.p50).toFixed(2)} | ${(r.p99 - o.p99).toFixed(2)} | ${r.stream ? (r.ttfb50 - o.ttfb50).toFixed(2) : ""} | ${(r.rps / o.rps).toFixed(2)} |`);
    }' "$RAW/results.jsonl"
  if [ -n "$PROFILE_MD" ]; then
    echo
    echo "## Profile pass (c=1, through Purser; not in the rows above)"
    echo
    echo '```'
    cat "$RAW/profile.jsonl"
    echo '```'
    echo
    echo "$PROFILE_MD"
    echo
    echo "Where the calls wait (JFR, both modes, $PROFILE_REQUESTS calls each; jfr-sites.mjs):"
    echo
    cat "$RAW/jfr-sites.md"
    echo
    echo "JFR hot methods (execution samples, both modes):"
    echo
    echo '```'
    sed -n '1,30p' "$RAW/jfr-hot-methods.txt"
    echo '```'
  fi
} > "$OUT"
echo "wrote $OUT (raw: $RAW)"
