#!/usr/bin/env bash
# Delegation overhead benchmark: the same echo request sent directly to an @a2a-js/sdk agent and
# through Purser delegating to it (a free service, and a paid one: x402 on both hops), at a few
# concurrencies, on loopback; writes bench/delegation/results-<date>.md. See README.md.
#
#   bench/delegation/run.sh            # from the repository root
#
# Environment (defaults in brackets): PORT [18080] Purser's HTTP port (the next builds take the
#   next ports), CONCURRENCY ["1 16"], REQUESTS [400] measured requests per target and
#   concurrency, WARMUP [100] unmeasured ones before each, ROUNDS [1] (the table shows each row's
#   median over the rounds), PAID [1] (0: free services only), TARGETS [all: direct-free
#   local-free purser-free direct-paid local-paid local-paid1 purser-paid] which rows to run,
#   BUILDS [none: ./purser, the launcher] Purser builds to compare in the same run, as
#   `name=DIR` pairs (DIR: a target/quarkus-app, e.g. a copy kept from before a change; all are
#   started at once, each on its own port and database, and each row runs on each build in
#   turn), OUT [results-YYYY-MM-DD.md, -HHMMSS if taken], NOTE [free text]. Starts (and stops)
#   its own Purser(s) (a fresh PURSER_DATA_DIR each) and two agents; everything listens on
#   127.0.0.1 only.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
PORT="${PORT:-18080}"
CONCURRENCY="${CONCURRENCY:-1 16}"
ROUNDS="${ROUNDS:-1}"
BUILDS="${BUILDS:-}"
TARGETS="${TARGETS:-direct-free local-free purser-free direct-paid local-paid local-paid1 purser-paid}"
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
  rm -rf "$RAW"/purser-data-*   # the embedded databases: large, and of no use after the run
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

# Purser builds: name, port, pid, embedded PostgreSQL port. Without BUILDS, the launcher's build.
NAMES=(); PURL=(); PPID_=(); PGPORTS=()
start_purser() {   # name, DIR ('' = the launcher), port
  local name=$1 dir=$2 port=$3 data="$RAW/purser-data-$1" i
  mkdir -p "$data"
  if [ -z "$dir" ]; then
    PURSER_DATA_DIR="$data" QUARKUS_HTTP_PORT="$port" QUARKUS_HTTP_HOST=127.0.0.1 \
      PURSER_MARKET_ALLOW_PRIVATE=true PURSER_OPERATOR_TOKEN="$TOKEN" \
      "$ROOT/purser" > "$RAW/purser-$name.log" 2>&1 &
  else
    # the launcher's JVM flags, without its AOT cache (it only speeds the start up)
    # shellcheck disable=SC2086 # a list of JVM flags
    PURSER_DATA_DIR="$data" QUARKUS_HTTP_PORT="$port" QUARKUS_HTTP_HOST=127.0.0.1 \
      PURSER_MARKET_ALLOW_PRIVATE=true PURSER_OPERATOR_TOKEN="$TOKEN" \
      "$JAVA_HOME/bin/java" ${PURSER_JAVA_OPTS:--XX:+UseSerialGC -Xmx256m} \
      -jar "$dir/quarkus-run.jar" > "$RAW/purser-$name.log" 2>&1 &
  fi
  PIDS+=($!)
  NAMES+=("$name"); PURL+=("http://127.0.0.1:$port"); PPID_+=($!)
}
. "$ROOT/.mvn/find-jdk.sh"
if [ -z "$BUILDS" ]; then
  start_purser main "" "$PORT"
else
  i=0
  for b in $BUILDS; do start_purser "${b%%=*}" "${b#*=}" $((PORT + i)); i=$((i + 1)); done
fi
for k in "${!NAMES[@]}"; do
  for i in $(seq 1 480); do
    curl -sf "${PURL[$k]}/q/health/ready" >/dev/null 2>&1 && break
    kill -0 "${PPID_[$k]}" 2>/dev/null || die "purser ${NAMES[$k]} exited; see $RAW/purser-${NAMES[$k]}.log"
    sleep 0.5
  done
  curl -sf "${PURL[$k]}/q/health/ready" >/dev/null || die "purser ${NAMES[$k]} not ready"
  # Its embedded PostgreSQL, to count what each request costs it (commits, rows, CPU).
  PGPORTS+=("$(sed -n 4p "$(find "$RAW/purser-data-${NAMES[$k]}" -name postmaster.pid | head -n 1)" 2>/dev/null || true)")
done

# commits and rows written so far by build $1's PostgreSQL ("0 0" without psql)
pg_counts() {
  local pgport=${PGPORTS[$1]}
  [ -n "$pgport" ] && command -v psql >/dev/null || { echo "0 0"; return; }
  psql -h 127.0.0.1 -p "$pgport" -U postgres -d postgres -Atc \
    "select sum(xact_commit), sum(tup_inserted + tup_updated + tup_deleted) from pg_stat_database" \
    | tr '|' ' '
}
# CPU ticks so far of build $1: its JVM, and its PostgreSQL (the postmaster with its reaped
# children, plus the live backends).
ticks() { awk '{print $14 + $15 + $16 + $17}' "/proc/$1/stat" 2>/dev/null || echo 0; }
cpu_ticks() {
  local jvm=${PPID_[$1]} pm pg=0 c
  pm=$(head -n 1 "$(find "$RAW/purser-data-${NAMES[$1]}" -name postmaster.pid | head -n 1)" 2>/dev/null || true)
  if [ -n "$pm" ]; then
    pg=$(ticks "$pm")
    for c in $(pgrep -P "$pm" || true); do pg=$((pg + $(awk '{print $14 + $15}' "/proc/$c/stat" 2>/dev/null || echo 0))); done
  fi
  echo "$(ticks "$jvm") $pg"
}
HZ=$(getconf CLK_TCK)

register() {   # build index, body
  curl -sf -X POST "${PURL[$1]}/api/market/providers" -H "Authorization: Bearer $TOKEN" \
    -H 'Content-Type: application/json' -d "$2" > /dev/null || die "registering $2 failed"
}
for k in "${!NAMES[@]}"; do
  register "$k" '{"cardUrl": "http://127.0.0.1:'"$FREE_PORT"'/.well-known/agent-card.json"}'
  register "$k" '{"cardUrl": "http://127.0.0.1:'"$PAID_PORT"'/.well-known/agent-card.json", "fee": {"amount": "100"}}'
done

# target → what it calls: direct-* the agents; the others Purser (skill; turns of a paid task).
# local-*: Purser's own demo skills (echo, echo-paid), no delegation: what Purser costs by itself;
# local-paid1 pays with the first message (one request, like local-free).
spec() {
  case "$1" in
    direct-free) echo "direct|$FREE_PORT||2" ;;
    direct-paid) echo "direct|$PAID_PORT||2" ;;
    local-free) echo "purser||echo|2" ;;
    local-paid) echo "purser||echo-paid|2" ;;
    local-paid1) echo "purser||echo-paid|1" ;;
    purser-free) echo "purser||bench-echo|2" ;;
    purser-paid) echo "purser||bench-echo-paid|2" ;;
    *) die "unknown target $1" ;;
  esac
}

: > "$RAW/results.jsonl"
for round in $(seq 1 "$ROUNDS"); do
  for c in $CONCURRENCY; do
    for t in $TARGETS; do
      case "$t" in *-paid*) [ "$PAID" = 1 ] || continue ;; esac
      IFS='|' read -r kind port skill turns <<< "$(spec "$t")"
      if [ "$kind" = direct ]; then builds=(-1); else builds=("${!NAMES[@]}"); fi
      for k in "${builds[@]}"; do
        if [ "$k" = -1 ]; then
          label=$t; url="http://127.0.0.1:$port/a2a/jsonrpc"
        else
          label=$t; [ -n "$BUILDS" ] && label="$t@${NAMES[$k]}"; url="${PURL[$k]}/api/a2a"
          sleep 1.5   # backends flush their statistics about once a second
          read -r commits0 rows0 < <(pg_counts "$k"); read -r jvm0 pg0 < <(cpu_ticks "$k")
        fi
        load=$(cut -d' ' -f1 /proc/loadavg)
        line=$(cd "$PEERS" && node load.mjs '{"label": "'"$label"'", "url": "'"$url"'", "skill": "'"$skill"'", "concurrency": '"$c"', "requests": '"$REQUESTS"', "warmup": '"$WARMUP"', "turns": '"$turns"'}' 2>> "$RAW/load.log")
        extra=""
        if [ "$k" != -1 ]; then
          read -r jvm1 pg1 < <(cpu_ticks "$k"); sleep 1.5
          read -r commits1 rows1 < <(pg_counts "$k")
          n=$((REQUESTS + WARMUP))
          extra=$(awk -v c0="$commits0" -v c1="$commits1" -v r0="$rows0" -v r1="$rows1" -v j0="$jvm0" -v j1="$jvm1" \
            -v p0="$pg0" -v p1="$pg1" -v n="$n" -v hz="$HZ" 'BEGIN {
              printf ", \"commits\": %.1f, \"rows\": %.1f, \"cpuJvmUs\": %d, \"cpuPgUs\": %d",
                (c1 - c0) / n, (r1 - r0) / n, (j1 - j0) * 1e6 / hz / n, (p1 - p0) * 1e6 / hz / n }')
        fi
        echo "${line%\}}, \"round\": $round, \"target\": \"$t\", \"build\": \"$([ "$k" = -1 ] || echo "${NAMES[$k]}")\", \"load\": $load$extra}" \
          | tee -a "$RAW/results.jsonl"
      done
    done
  done
done

# The table (each row's median over the rounds) and what Purser adds: for each round, the row
# minus its reference in the same round and build, then the median over the rounds.
{
  echo "# Delegation and paid-task overhead, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), shared;"
  echo "node $(node --version); $("$JAVA_HOME/bin/java" -version 2>&1 | head -n 1)."
  echo "REQUESTS=$REQUESTS WARMUP=$WARMUP ROUNDS=$ROUNDS; commit $(git -C "$ROOT" rev-parse --short HEAD); builds: ${BUILDS:-the launcher}. ${NOTE:-}"
  echo
  node -e '
    const rows = require("fs").readFileSync(process.argv[1], "utf8").trim().split("\n").map(JSON.parse);
    const med = (xs) => { const s = xs.filter((x) => x !== undefined && x !== null && !Number.isNaN(x)).sort((a, b) => a - b);
      return s.length ? (s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2) : ""; };
    const r2 = (x) => x === "" ? "" : Math.round(x * 100) / 100;
    const keys = [...new Set(rows.map((r) => `${r.label}|${r.concurrency}`))];
    console.log("| target | c | ok | errors | p50 ms | p90 ms | p99 ms | req/s | CPU µs/req JVM + PostgreSQL | DB commits / req | DB rows / req | provider call p50 ms | load avg |");
    console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const k of keys) {
      const rs = rows.filter((r) => `${r.label}|${r.concurrency}` === k), r = rs[0], m = (f) => r2(med(rs.map(f)));
      const cpu = r.cpuJvmUs === undefined ? "" : `${m((x) => x.cpuJvmUs)} + ${m((x) => x.cpuPgUs)} = ${m((x) => x.cpuJvmUs + x.cpuPgUs)}`;
      console.log(`| ${r.label} | ${r.concurrency} | ${rs.reduce((a, x) => a + x.ok, 0)} | ${rs.reduce((a, x) => a + x.errors, 0)} | ${m((x) => x.p50)} | ${m((x) => x.p90)} | ${m((x) => x.p99)} | ${m((x) => x.rps)} | ${cpu} | ${r.commits === undefined ? "" : m((x) => x.commits)} | ${r.rows === undefined ? "" : m((x) => x.rows)} | ${m((x) => x.providerP50)} | ${m((x) => x.load)} |`);
    }
    const refs = { "local-paid1": "local-free", "local-paid": "local-free", "purser-free": "direct-free", "purser-paid": "direct-paid" };
    console.log("\n| what Purser adds | build | c | p50 added ms | p99 added ms | CPU µs/req added (JVM + PostgreSQL) | rounds |");
    console.log("|---|---|---:|---:|---:|---:|---:|");
    const seen = new Set();
    for (const r of rows.filter((r) => refs[r.target])) {
      const k = `${r.target}|${r.build}|${r.concurrency}`;
      if (seen.has(k)) continue; seen.add(k);
      const ref = refs[r.target], d = [];
      for (const x of rows.filter((o) => `${o.target}|${o.build}|${o.concurrency}` === k)) {
        const y = rows.find((o) => o.target === ref && o.round === x.round && o.concurrency === x.concurrency
          && (ref.startsWith("direct-") || o.build === x.build));
        if (y) d.push({ p50: x.p50 - y.p50, p99: x.p99 - y.p99,
          cpu: y.cpuJvmUs === undefined ? undefined : x.cpuJvmUs + x.cpuPgUs - y.cpuJvmUs - y.cpuPgUs });
      }
      if (d.length) console.log(`| ${r.target} − ${ref} | ${r.build || "-"} | ${r.concurrency} | ${r2(med(d.map((x) => x.p50)))} | ${r2(med(d.map((x) => x.p99)))} | ${r2(med(d.map((x) => x.cpu)))} | ${d.length} |`);
    }' "$RAW/results.jsonl"
} > "$OUT"
echo "wrote $OUT (raw: $RAW)"
