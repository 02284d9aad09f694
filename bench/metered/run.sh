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
#   PROFILE_REQUESTS [300], OUT [results-YYYY-MM-DD.md, -HHMMSS if taken], NOTE [free text],
#   BUILDS [purser]: the Purser builds to compare in this run, each LABEL or LABEL=DIR (DIR: the
#   target/quarkus-app of another build, e.g. a copy kept from before a change; LABEL alone is this
#   checkout's), each started on its own port (PORT, PORT+1, ...) and database, measured row by row
#   beside the others; ROUNDS [1]: the rows again, this many times (the summary takes medians).
# Starts (and stops) its own Pursers (java -jar, a fresh PURSER_DATA_DIR each) and upstream;
# everything listens on 127.0.0.1 only. The mandate and the session key are made with ./purser's command
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
ROUNDS="${ROUNDS:-1}"

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
  rm -rf "$RAW"/purser-data-*   # the embedded databases: large, and of no use after the run
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

# The Pursers, each with its own data directory (embedded PostgreSQL) and a known operator token.
# The agent's guards (600 reservations a minute, 16 pending) would refuse a benchmark's pace: raised,
# not turned off, so that their checks still run in the ledger statement. Every request is
# distinct, so the loop guard keeps its default.
export QUARKUS_HTTP_HOST=127.0.0.1 PURSER_MARKET_ALLOW_PRIVATE=true PURSER_OPERATOR_TOKEN="$TOKEN" \
  PURSER_GUARD_RATE=10000000 PURSER_GUARD_CONCURRENCY=100000
. "$ROOT/.mvn/find-jdk.sh"
"$ROOT/purser" help > /dev/null 2>&1 || true   # builds this checkout when its sources are newer
TICK_MS=$(awk "BEGIN {print 1000 / $(getconf CLK_TCK)}")
LABELS=(); JVM=(); PGPORTS=(); PGMASTERS=(); KEYS=(); MANDATES=(); SERVERS=()
i=0
for b in ${BUILDS:-purser}; do
  label="${b%%=*}"; dir="$ROOT/target/quarkus-app"; [ "$b" != "$label" ] && dir="${b#*=}"
  [ -f "$dir/quarkus-run.jar" ] || die "no $dir/quarkus-run.jar for build $label"
  port=$((PORT + i))
  # Serial GC and a 256 MB heap as ./purser starts it (without its AOT cache: a start-up matter)
  PURSER_DATA_DIR="$RAW/purser-data-$label" QUARKUS_HTTP_PORT="$port" \
    "$JAVA_HOME/bin/java" ${PURSER_JAVA_OPTS:--XX:+UseSerialGC -Xmx256m} -jar "$dir/quarkus-run.jar" \
    > "$RAW/purser-$label.log" 2>&1 &
  PIDS+=($!)
  LABELS+=("$label"); JVM+=($!); SERVERS+=("http://127.0.0.1:$port")
  i=$((i + 1))
done
for i in "${!LABELS[@]}"; do
  server="${SERVERS[$i]}"; label="${LABELS[$i]}"
  for t in $(seq 1 240); do
    curl -sf "$server/q/health/ready" >/dev/null 2>&1 && break
    kill -0 "${JVM[$i]}" 2>/dev/null || die "purser $label exited; see $RAW/purser-$label.log"
    sleep 0.5
  done
  curl -sf "$server/q/health/ready" >/dev/null || die "purser $label not ready; see $RAW/purser-$label.log"
  # Its embedded PostgreSQL, to count what each request costs it (commits, rows written), and the
  # CPU time the JVM and PostgreSQL (the postmaster, its backends, and those that exited) used.
  pidfile="$(find "$RAW/purser-data-$label" -name postmaster.pid | head -n 1)"
  PGPORTS+=("$(sed -n 4p "$pidfile" 2>/dev/null || true)")
  PGMASTERS+=("$(sed -n 1p "$pidfile" 2>/dev/null || true)")

  # The operator lists the upstream (README "A budget-capped agent in ten lines", first command).
  curl -sf -X POST "$server/api/market/models" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -d '{"baseUrl": "http://127.0.0.1:'"$UP_PORT"'/v1",
    "models": {"'"$MODEL"'": {"input": "150000", "output": "600000", "maxOutput": 4096}}}' \
    > "$RAW/upstream-registered-$label.json" || die "registering the upstream with $label failed"

  # The principal's mandate and the agent's session key, with the command line as README shows.
  mkdir -p "$RAW/keys-$label"
  (
    cd "$RAW/keys-$label"
    "$ROOT/purser" keygen --out principal.hex > keygen-principal.out 2>&1
    "$ROOT/purser" keygen --out agent.hex > keygen-agent.out 2>&1
    AGENT=$(grep -oE '0x[0-9a-fA-F]{40}' keygen-agent.out | head -n 1)
    [ -n "$AGENT" ] || die "keygen printed no address: $(cat keygen-agent.out)"
    "$ROOT/purser" mandate sign --key principal.hex --agent "$AGENT" --budget 5000000 \
      --skills "$MODEL" --expires-in 1d --post "$server" > mandate-sign.out 2>&1 \
      || die "mandate sign failed: $(cat mandate-sign.out)"
    MANDATE=$(grep -oE '^id: 0x[0-9a-fA-F]{64}' mandate-sign.out | head -n 1 | cut -c5-)
    [ -n "$MANDATE" ] || die "mandate sign printed no \"id: 0x…\": $(cat mandate-sign.out)"
    "$ROOT/purser" mandate key --key agent.hex --id "$MANDATE" --label run-1 --expires-in 12h \
      --out key-request.json --post "$server" > mandate-key.out 2>&1 \
      || die "mandate key failed: $(cat mandate-key.out)"
    grep -oE '"key" *: *"psk_[^"]+"' mandate-key.out | head -n 1 | sed -E 's/.*"(psk_[^"]+)"/\1/' > session.key
    [ -s session.key ] || die "mandate key printed no \"key\": \"psk_…\": $(cat mandate-key.out)"
    echo "$MANDATE" > mandate.id
  )
  KEYS+=("$(cat "$RAW/keys-$label/session.key")")
  MANDATES+=("$(cat "$RAW/keys-$label/mandate.id")")
done

psql_() { psql -h 127.0.0.1 -p "$1" -U postgres -d postgres -Atc "$2"; }
cpu_ticks() {   # utime + stime of $1 (+ its waited-for children's with $2 = all)
  awk -v all="${2:-}" '{print $14 + $15 + (all ? $16 + $17 : 0)}' "/proc/$1/stat" 2>/dev/null || echo 0
}
snapshot() {    # $1 = build index: commits, rows written, JVM CPU ticks, PostgreSQL CPU ticks
  local counts="0 0" pg=0 child pgport="${PGPORTS[$1]}" master="${PGMASTERS[$1]}"
  sleep 1.5   # backends flush their statistics about once a second
  if [ -n "$pgport" ] && command -v psql >/dev/null; then
    counts=$(psql_ "$pgport" "select sum(xact_commit), sum(tup_inserted + tup_updated + tup_deleted) from pg_stat_database" | tr '|' ' ')
  fi
  if [ -n "$master" ]; then
    pg=$(cpu_ticks "$master" all)
    for child in $(ps -o pid= --ppid "$master"); do pg=$((pg + $(cpu_ticks "$child"))); done
  fi
  echo "$counts $(cpu_ticks "${JVM[$1]}") $pg"
}

load() {   # label base key stream concurrency requests warmup
  node "$HERE/load.mjs" '{"label": "'"$1"'", "base": "'"$2"'", "key": "'"$3"'", "model": "'"$MODEL"'",
    "stream": '"$4"', "concurrency": '"$5"', "requests": '"$6"', "warmup": '"$7"'}' 2>> "$RAW/load.log"
}

# Warm servers: the first rows would otherwise measure the JIT compiling Purser's call path.
if [ "$WARM_CALLS" -gt 0 ]; then
  for i in "${!LABELS[@]}"; do
    for stream in false true; do
      load "${LABELS[$i]}-warm" "${SERVERS[$i]}/v1" "${KEYS[$i]}" "$stream" 8 0 "$((WARM_CALLS / 2))" > /dev/null
    done
  done
fi

# Rows: per round, concurrency and mode, direct then each build (in reverse order every other
# round, so that no build always follows the same neighbour).
: > "$RAW/results.jsonl"
for round in $(seq 1 "$ROUNDS"); do
  order=("${!LABELS[@]}")
  if [ $((round % 2)) = 0 ]; then order=($(printf '%s\n' "${order[@]}" | tac)); fi
  for c in $CONCURRENCY; do
    for stream in false true; do
      for t in direct "${order[@]}"; do
        if [ "$t" = direct ]; then
          label=direct; base="http://127.0.0.1:$UP_PORT/v1"; key=""; snap=0
        else
          label="${LABELS[$t]}"; base="${SERVERS[$t]}/v1"; key="${KEYS[$t]}"; snap=$t
        fi
        loadavg=$(cut -d' ' -f1 /proc/loadavg)
        load "$label-warmup" "$base" "$key" "$stream" "$c" 0 "$WARMUP" > /dev/null
        read -r commits0 rows0 jvm0 pg0 < <(snapshot "$snap")
        line=$(load "$label" "$base" "$key" "$stream" "$c" "$REQUESTS" 0)
        read -r commits1 rows1 jvm1 pg1 < <(snapshot "$snap")
        n=$REQUESTS
        per() { awk "BEGIN {printf \"%.$3f\", ($2 - $1) * ${4:-1} / $n}"; }
        echo "${line%\}}, \"round\": $round, \"load\": $loadavg, \"commits\": $(per "$commits0" "$commits1" 1), \"rows\": $(per "$rows0" "$rows1" 1), \"jvmCpu\": $(per "$jvm0" "$jvm1" 2 "$TICK_MS"), \"pgCpu\": $(per "$pg0" "$pg1" 2 "$TICK_MS")}" \
          | tee -a "$RAW/results.jsonl"
      done
    done
  done
done
for i in "${!LABELS[@]}"; do
  curl -sf "${SERVERS[$i]}/api/a2a/mandates/${MANDATES[$i]}" > "$RAW/envelope-after-${LABELS[$i]}.json" || true
done

# The profile pass (not in the numbers above), per build: c=1 through Purser, first under JFR
# (started and stopped with jcmd), then with every SQL statement logged by PostgreSQL, to say
# where a call's time goes and how many statements it runs.
PROFILE_MD=""
if [ "$PROFILE" = 1 ]; then
  for i in "${!LABELS[@]}"; do
    label="${LABELS[$i]}"; server="${SERVERS[$i]}"; key="${KEYS[$i]}"; pgport="${PGPORTS[$i]}"
    "$JAVA_HOME/bin/jcmd" "${JVM[$i]}" JFR.start name=bench settings=profile \
      filename="$RAW/purser-$label.jfr" > /dev/null
    for stream in false true; do
      load "$label-jfr" "$server/v1" "$key" "$stream" 1 "$PROFILE_REQUESTS" 20 >> "$RAW/profile.jsonl"
    done
    "$JAVA_HOME/bin/jcmd" "${JVM[$i]}" JFR.stop name=bench > /dev/null
    "$JAVA_HOME/bin/jfr" view --width 200 hot-methods "$RAW/purser-$label.jfr" > "$RAW/jfr-hot-methods-$label.txt" 2>&1 || true
    "$JAVA_HOME/bin/jfr" print --stack-depth 128 --events jdk.SocketRead,jdk.ThreadPark,jdk.ExecutionSample \
      "$RAW/purser-$label.jfr" | node "$HERE/jfr-sites.mjs" "$((2 * PROFILE_REQUESTS))" > "$RAW/jfr-sites-$label.md" || true

    PGLOG=$(find "$RAW/purser-data-$label" -name 'postgresql*.log' | head -n 1)
    SQL_MD=""
    if [ -n "$pgport" ] && [ -n "$PGLOG" ] && command -v psql >/dev/null; then
      for stream in false true; do
        psql_ "$pgport" "alter system set log_min_duration_statement = 0" > /dev/null
        psql_ "$pgport" "select pg_reload_conf()" > /dev/null
        sleep 1
        from=$(wc -c < "$PGLOG")
        load "$label-sql" "$server/v1" "$key" "$stream" 1 50 0 >> "$RAW/profile.jsonl"
        to=$(wc -c < "$PGLOG")
        psql_ "$pgport" "alter system reset log_min_duration_statement" > /dev/null
        psql_ "$pgport" "select pg_reload_conf()" > /dev/null
        tail -c +"$((from + 1))" "$PGLOG" | head -c "$((to - from))" > "$RAW/statements-$label-stream-$stream.log"
      done
      SQL_MD=$(node "$HERE/statements.mjs" 50 "$RAW/statements-$label-stream-false.log" "$RAW/statements-$label-stream-true.log")
    fi
    PROFILE_MD+=$'\n'"### Build $label"$'\n\n'"$SQL_MD"$'\n\n'"Where the calls wait (JFR, both modes, $PROFILE_REQUESTS calls each; jfr-sites.mjs):"$'\n\n'"$(cat "$RAW/jfr-sites-$label.md")"$'\n\n'"JFR hot methods (execution samples, both modes):"$'\n\n```\n'"$(sed -n '1,30p' "$RAW/jfr-hot-methods-$label.txt")"$'\n```\n'
  done
fi

# The tables: every row, then Purser's added latency (through Purser − direct) per mode and c.
{
  echo "# Metered-call overhead, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), shared;"
  echo "node $(node --version); $(. "$ROOT/.mvn/find-jdk.sh" && "$JAVA_HOME/bin/java" -version 2>&1 | head -n 1)."
  echo "WARM_CALLS=$WARM_CALLS through each Purser first; REQUESTS=$REQUESTS measured after WARMUP=$WARMUP per row (commits, rows and CPU per measured request); ROUNDS=$ROUNDS; commit $(git -C "$ROOT" rev-parse --short HEAD); builds: ${BUILDS:-purser}. ${NOTE:-}"
  echo
  echo "Medians over the rounds (p50/p99/ttfb added: the median of each round's difference to direct's row of the same round; the load average is the median of the rows' before-row readings):"
  echo
  node -e '
    const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
    const med = (xs) => { const s = xs.filter((x) => x != null && !Number.isNaN(x)).sort((a, b) => a - b);
      if (!s.length) return NaN; const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
    const f = (x, d = 1) => Number.isNaN(x) ? "" : x.toFixed(d);
    const labels = [...new Set(rows.map((r) => r.label))].filter((l) => l !== "direct");
    console.log("| build | stream | c | p50 added ms | p99 added ms | ttfb p50 added ms | req/s | throughput / direct | DB commits / req | DB rows written / req | Purser CPU ms / req | PostgreSQL CPU ms / req | load avg |");
    console.log("|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    const keys = [...new Set(rows.map((r) => `${r.concurrency}|${r.stream}`))];
    for (const k of keys) for (const l of labels) {
      const mine = rows.filter((r) => r.label === l && `${r.concurrency}|${r.stream}` === k);
      if (!mine.length) continue;
      const dir = (r) => rows.find((x) => x.label === "direct" && x.round === r.round && x.stream === r.stream && x.concurrency === r.concurrency);
      const diff = (fn) => med(mine.map((r) => dir(r) ? fn(r, dir(r)) : NaN));
      const r0 = mine[0];
      console.log(`| ${l} | ${r0.stream ? "yes" : "no"} | ${r0.concurrency} | ${f(diff((r, d) => r.p50 - d.p50))} | ${f(diff((r, d) => r.p99 - d.p99))} | ${r0.stream ? f(diff((r, d) => r.ttfb50 - d.ttfb50)) : ""} | ${f(med(mine.map((r) => r.rps)), 0)} | ${f(diff((r, d) => r.rps / d.rps), 2)} | ${f(med(mine.map((r) => r.commits)), 2)} | ${f(med(mine.map((r) => r.rows)), 1)} | ${f(med(mine.map((r) => r.jvmCpu)), 2)} | ${f(med(mine.map((r) => r.pgCpu)), 2)} | ${f(med(mine.map((r) => r.load)), 2)} |`);
    }' "$RAW/results.jsonl"
  echo
  echo "Every row:"
  echo
  echo "| round | target | stream | c | ok | errors | p50 ms | p90 ms | p99 ms | max ms | ttfb p50 | ttfb p99 | req/s | DB commits / req | DB rows written / req | Purser CPU ms / req | PostgreSQL CPU ms / req | load avg before |"
  echo "|---:|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  node -e '
    const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
    const d = (r) => r.label === "direct";
    for (const r of rows) console.log(`| ${r.round} | ${r.label} | ${r.stream ? "yes" : "no"} | ${r.concurrency} | ${r.ok} | ${r.errors} | ${r.p50} | ${r.p90} | ${r.p99} | ${r.max} | ${r.ttfb50 ?? ""} | ${r.ttfb99 ?? ""} | ${r.rps} | ${d(r) ? "" : r.commits} | ${d(r) ? "" : r.rows} | ${d(r) ? "" : r.jvmCpu} | ${d(r) ? "" : r.pgCpu} | ${r.load} |`);
  ' "$RAW/results.jsonl"
  if [ -n "$PROFILE_MD" ]; then
    echo
    echo "## Profile pass (c=1, through each build; not in the rows above)"
    echo
    echo '```'
    cat "$RAW/profile.jsonl"
    echo '```'
    echo "$PROFILE_MD"
  fi
} > "$OUT"
echo "wrote $OUT (raw: $RAW)"
