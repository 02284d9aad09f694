#!/usr/bin/env bash
# Peers benchmark: Purser (task persisted in its embedded PostgreSQL) against the a2a-java reference
# JSON-RPC server and an @a2a-js/sdk server (both keep tasks in memory), all three answering the
# same A2A 0.3 `message/send` with an echo task. Builds and starts every server itself, one at a
# time on this machine, and writes bench/peers/results-<date>.md. See README.md.
#
#   bench/peers/run.sh                 # from anywhere; one command
#
# Environment (defaults in brackets): TARGETS ["purser a2a-java a2a-js"], CONNS ["16 64"],
#   THREADS [2] wrk threads, WARMUP [10s] per target and concurrency (the first concurrency of a
#   target gets FIRST_WARMUP [30s]: the JIT is still compiling after 10 s on a busy 2-core
#   machine, which showed as CPU per request falling round after round), DURATION [10s] per round,
#   ROUNDS [3] (medians are reported), CHECK_EVERY [10] (see ../echo-load/a2a-send.lua),
#   A target purser@DIR runs another build of Purser (DIR: its target/quarkus-app, e.g. a copy
#   kept from before a change) with the launcher's JVM flags: before/after in one run. AOT_DIRS
#   [none]: those DIRs get the launcher's AOT cache too (recorded at their first start).
#   PURSER_JAVA_OPTS [the launcher's default], OTHER_JAVA_OPTS [PURSER_JAVA_OPTS]: for the
#   purser@DIR targets only (e.g. the flags of the launcher a kept build came with), REF_JAVA_OPTS [-Xmx2g], BUILD [1] (0: use the
#   jars as they are), PROFILE [0] (1: a JFR recording of Purser's c=16 rounds, summarised into
#   tmp/), STARTS_TOO [1] (0: skip Purser's extra starts, fresh and after the load, for quick
#   A/B runs; the first start then is on a fresh data dir), STARTS_ONLY [0] (1: no load at all,
#   only starts: ROUNDS rounds, each target in turn, Purser on a fresh then an existing data dir;
#   medians of launch-to-card time and of the CPU the start took), OUT [results-YYYY-MM-DD-HHMM.md],
#   NOTE [free text]. Loopback only.
set -euo pipefail
{ # the whole script is read before it runs: editing it during a run cannot change that run

HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
TARGETS="${TARGETS:-purser a2a-java a2a-js}"
CONNS="${CONNS:-16 64}"
THREADS="${THREADS:-2}"
WARMUP="${WARMUP:-10s}"
FIRST_WARMUP="${FIRST_WARMUP:-30s}"
DURATION="${DURATION:-10s}"
ROUNDS="${ROUNDS:-3}"
CHECK_EVERY="${CHECK_EVERY:-10}"
REF_JAVA_OPTS="${REF_JAVA_OPTS:--Xmx2g}"
BUILD="${BUILD:-1}"
PROFILE="${PROFILE:-0}"
STARTS_TOO="${STARTS_TOO:-1}"
STARTS_ONLY="${STARTS_ONLY:-0}"
LUA="$ROOT/bench/echo-load/a2a-send.lua"
PORT="${PORT:-18090}"   # another run on this machine may hold 18090
OUT="${OUT:-$HERE/results-$(date -u +%Y-%m-%d-%H%M).md}"
RAW="$HERE/tmp/$(date -u +%Y%m%d-%H%M%S)"   # wrk output, logs, profiles (git-ignored)
mkdir -p "$RAW"

die() { echo "peers: $*" >&2; exit 2; }
command -v wrk >/dev/null || die "wrk not found: apt-get install -y wrk"
command -v curl >/dev/null || die "curl not found"
command -v node >/dev/null && command -v npm >/dev/null || die "node and npm are needed"
. "$ROOT/.mvn/find-jdk.sh"
JAVA="$JAVA_HOME/bin/java"
LAUNCHER_JAVA_OPTS=$(sed -n 's/^DEFAULT_JAVA_OPTS="\(.*\)"$/\1/p' "$ROOT/purser")
[ -n "$LAUNCHER_JAVA_OPTS" ] || die "no DEFAULT_JAVA_OPTS line in $ROOT/purser"

# --- build -------------------------------------------------------------------------------------
if [ "$BUILD" = 1 ]; then
  echo "peers: building Purser and the a2a-java reference server" >&2
  (cd "$ROOT" && ./mvnw -B -ntp -q package -DskipTests) > "$RAW/build.log" 2>&1 || die "build failed: $RAW/build.log"
  (cd "$ROOT" && ./mvnw -B -ntp -q -f bench/reference-server/pom.xml package -DskipTests) \
    >> "$RAW/build.log" 2>&1 || die "reference build failed: $RAW/build.log"
fi
[ -f "$HERE/js/node_modules/@a2a-js/sdk/package.json" ] ||
  (cd "$HERE/js" && npm install --no-audit --no-fund --loglevel=error) > "$RAW/npm.log" 2>&1 ||
  die "npm install failed: $RAW/npm.log"

# --- processes ---------------------------------------------------------------------------------
SERVER=""   # the pid of the running server (the JVM or node)
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT

descendants() { local p; for p in $(pgrep -P "$1" 2>/dev/null || true); do echo "$p"; descendants "$p"; done; }
# The embedded PostgreSQL of a Purser data directory: the postmaster and its backends.
pg_pids() {
  local f; f=$(find "$1" -name postmaster.pid 2>/dev/null | head -n 1)
  [ -n "$f" ] || return 0
  local m; m=$(sed -n 1p "$f"); echo "$m"; descendants "$m"
}
# utime + stime (clock ticks) of the listed pids, plus the children they have reaped (a
# postmaster reaps exited backends), so nothing a request cost goes missing.
cpu_ticks() {
  local t=0 p v
  for p in "$@"; do
    v=$(awk '{sub(/^.*\) /, ""); print $12 + $13 + $14 + $15}' "/proc/$p/stat" 2>/dev/null || true)
    t=$((t + ${v:-0}))
  done
  echo "$t"
}
rss_kb() {
  local t=0 p v
  for p in "$@"; do v=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || true); t=$((t + ${v:-0})); done
  echo "$t"
}

# The launcher's AOT cache flag for a purser@DIR build listed in AOT_DIRS (as ./purser does it:
# the first start records DIR/purser.aot, the next use it); nothing for the others.
aot_of() {
  case " ${AOT_DIRS:-} " in *" $1 "*) ;; *) return 0 ;; esac
  if [ -f "$1/purser.aot" ]; then echo "-XX:AOTCache=$1/purser.aot"; else echo "-XX:AOTCacheOutput=$1/purser.aot"; fi
}

# Starts target $1 (Purser with data dir $2); sets SERVER, URL, START_MS (launch to a served card)
# and START_CPU_MS (CPU the server, its children and its PostgreSQL had used by then).
start() {
  local name=$1 data=${2:-} card t0 i
  # A server already on the port would answer the card probe and be measured in this one's place.
  ! (exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null || die "port $PORT is in use: set PORT"
  t0=$(date +%s%N)
  case "$name" in
    purser)
      PURSER_DATA_DIR="$data" QUARKUS_HTTP_PORT=$PORT QUARKUS_HTTP_HOST=127.0.0.1 \
        "$ROOT/purser" > "$RAW/purser-$(date +%H%M%S%N).log" 2>&1 &
      SERVER=$!; URL="http://127.0.0.1:$PORT/api/a2a"; card="/.well-known/agent-card.json" ;;
    purser@*)
      # shellcheck disable=SC2086 # a list of JVM flags
      PURSER_DATA_DIR="$data" QUARKUS_HTTP_PORT=$PORT QUARKUS_HTTP_HOST=127.0.0.1 \
        "$JAVA" ${OTHER_JAVA_OPTS:-${PURSER_JAVA_OPTS:-$LAUNCHER_JAVA_OPTS}} $(aot_of "${name#purser@}") -jar "${name#purser@}/quarkus-run.jar" \
        > "$RAW/purser-other-$(date +%H%M%S%N).log" 2>&1 &
      SERVER=$!; URL="http://127.0.0.1:$PORT/api/a2a"; card="/.well-known/agent-card.json" ;;
    a2a-java)
      # shellcheck disable=SC2086 # a list of JVM flags
      "$JAVA" $REF_JAVA_OPTS -Dquarkus.http.port=$PORT -Dquarkus.http.host=127.0.0.1 \
        -jar "$ROOT/bench/reference-server/target/quarkus-app/quarkus-run.jar" > "$RAW/a2a-java.log" 2>&1 &
      SERVER=$!; URL="http://127.0.0.1:$PORT/"; card="/.well-known/agent-card.json" ;;
    a2a-js)
      (cd "$HERE/js" && exec node echo.mjs $PORT) > "$RAW/a2a-js.log" 2>&1 &
      SERVER=$!; URL="http://127.0.0.1:$PORT/a2a/jsonrpc"; card="/.well-known/agent-card.json" ;;
    *) die "unknown target $name" ;;
  esac
  for i in $(seq 1 3000); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT$card" && break
    kill -0 "$SERVER" 2>/dev/null || die "$name exited at start; see $RAW"
    sleep 0.01
  done
  START_MS=$(( ($(date +%s%N) - t0) / 1000000 ))
  local all; all=$( { echo "$SERVER"; descendants "$SERVER"; if [ -n "$data" ]; then pg_pids "$data"; fi; } | sort -u)
  # shellcheck disable=SC2086 # a list of pids
  START_CPU_MS=$(( $(cpu_ticks $all) * 1000 / $(getconf CLK_TCK) ))
}
stop() { kill "$SERVER" 2>/dev/null || true; wait "$SERVER" 2>/dev/null || true; SERVER=""; sleep 1; }

to_ms() {   # wrk's 850.00us / 1.23ms / 1.02s → milliseconds
  awk -v x="$1" 'BEGIN { if (x ~ /us$/) { sub(/us$/, "", x); printf "%.2f", x / 1000 }
    else if (x ~ /ms$/) { sub(/ms$/, "", x); printf "%.2f", x }
    else if (x ~ /s$/) { sub(/s$/, "", x); printf "%.2f", x * 1000 } else print "nan" }'
}
median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

PROBE='{"jsonrpc":"2.0","id":1,"method":"message/send","params":{"message":{"kind":"message","role":"user","messageId":"probe-'"$$"'","parts":[{"kind":"text","text":"hi"}]}}}'
ROWS=()     # target|c|rps|p50|p99|server µs/req|pg µs/req|peak RSS MiB (server)|peak RSS MiB (pg)|errors
STARTS=()   # target|kind|ms|cpu ms

measure() {   # target data-dir
  local name=$1 data=${2:-} f=${1//\//_} c r run pids pg t0 t1 g0 g1 n peak peakpg s
  probe=$(curl -sS -m 10 -X POST "$URL" -H 'Content-Type: application/json' -d "$PROBE" || true)
  case "$probe" in *'"error"'*|'') die "$name: probe failed: ${probe:-no answer}" ;; *completed*) ;;
    *) die "$name: probe did not complete: $probe" ;; esac
  local warm=$FIRST_WARMUP
  for c in $CONNS; do
    echo "peers: $name c=$c warm-up $warm" >&2
    wrk -t"$THREADS" -c"$c" -d"$warm" -s "$LUA" "$URL" -- "$CHECK_EVERY" > "$RAW/$f-c$c-warmup.txt" 2>&1
    warm=$WARMUP
    if [ "$PROFILE" = 1 ] && [ "$name" = purser ] && [ "$c" = 16 ]; then
      "$JAVA_HOME/bin/jcmd" "$SERVER" JFR.start name=peers settings=profile filename="$RAW/purser-c16.jfr" > /dev/null
    fi
    for r in $(seq 1 "$ROUNDS"); do
      run="$RAW/$f-c$c-r$r.txt"
      pids=("$SERVER" $(descendants "$SERVER")); pg=()
      [ -n "$data" ] && pg=($(pg_pids "$data"))
      t0=$(cpu_ticks "${pids[@]}"); g0=$( [ ${#pg[@]} -gt 0 ] && cpu_ticks "${pg[@]}" || echo 0)
      ( peak=0; peakpg=0; while :; do
          s=$(rss_kb "${pids[@]}"); [ "$s" -gt "$peak" ] && peak=$s
          if [ ${#pg[@]} -gt 0 ]; then s=$(rss_kb $(pg_pids "$data")); [ "$s" -gt "$peakpg" ] && peakpg=$s; fi
          echo "$peak $peakpg" > "$run.rss.new" && mv "$run.rss.new" "$run.rss"; sleep 0.5; done ) &
      local sampler=$!
      wrk -t"$THREADS" -c"$c" -d"$DURATION" --latency -s "$LUA" "$URL" -- "$CHECK_EVERY" > "$run" 2>&1 || true
      t1=$(cpu_ticks "${pids[@]}"); g1=$( [ ${#pg[@]} -gt 0 ] && cpu_ticks $(pg_pids "$data") || echo 0)
      kill "$sampler" 2>/dev/null; wait "$sampler" 2>/dev/null || true
      n=$(awk '/requests in/ {print $1}' "$run")
      local errs=$(( $(awk '$1 == "A2A_SOCKET_ERRORS" || $1 == "A2A_STATUS_ERRORS" || $1 == "A2A_RPC_ERRORS" || $1 == "A2A_NOT_COMPLETED" {s += $2} END {print s + 0}' "$run") ))
      peak=0 peakpg=0; read -r peak peakpg < "$run.rss" || true   # replaced whole, never half-written
      local hz; hz=$(getconf CLK_TCK)
      echo "$(awk '/^Requests\/sec:/ {print $2}' "$run") $(to_ms "$(awk '$1 == "50%" {print $2}' "$run")") $(to_ms "$(awk '$1 == "99%" {print $2}' "$run")") $(awk -v d=$((t1 - t0)) -v n="$n" -v hz="$hz" 'BEGIN {printf "%.0f", d * 1e6 / hz / n}') $(awk -v d=$((g1 - g0)) -v n="$n" -v hz="$hz" 'BEGIN {printf "%.0f", d * 1e6 / hz / n}') $((peak / 1024)) $((peakpg / 1024)) $errs" >> "$RAW/$f-c$c.rounds"
      echo "peers:   round $r: $(tail -n 1 "$RAW/$f-c$c.rounds")  (rps p50 p99 cpu-us pg-cpu-us rss rss-pg errors)" >&2
    done
    if [ "$PROFILE" = 1 ] && [ "$name" = purser ] && [ "$c" = 16 ]; then
      "$JAVA_HOME/bin/jcmd" "$SERVER" JFR.stop name=peers > /dev/null
    fi
    local col med=()
    for col in 1 2 3 4 5 6 7; do med+=("$(awk -v k=$col '{print $k}' "$RAW/$f-c$c.rounds" | median)"); done
    local errsum; errsum=$(awk '{s += $8} END {print s + 0}' "$RAW/$f-c$c.rounds")
    ROWS+=("$name|$c|${med[0]}|${med[1]}|${med[2]}|${med[3]}|${med[4]}|${med[5]}|${med[6]}|$errsum")
  done
}

LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
# The launcher's first start after a build records its AOT cache (see ./purser): done apart, once.
record_aot() {
  if { [ "$1" = purser ] && [ ! -f "$ROOT/target/purser.aot" ]; } ||
     { [ -n "$(aot_of "${1#purser@}")" ] && [ ! -f "${1#purser@}/purser.aot" ]; }; then
    rm -rf "$2"
    start "$1" "$2"; STARTS+=("$1|fresh data dir, first start of this build (records the AOT cache)|$START_MS|$START_CPU_MS"); stop
  fi
}
if [ "$STARTS_ONLY" = 1 ]; then
  for t in $TARGETS; do [ "${t%%@*}" = purser ] && record_aot "$t" "$RAW/purser-data"; done
  for r in $(seq 1 "$ROUNDS"); do   # targets alternate, so the machine's load falls on all alike
    for t in $TARGETS; do
      if [ "${t%%@*}" = purser ]; then
        data="$RAW/purser-data"; rm -rf "$data"
        start "$t" "$data"; STARTS+=("$t|fresh data dir|$START_MS|$START_CPU_MS"); stop
        start "$t" "$data"; STARTS+=("$t|existing data dir|$START_MS|$START_CPU_MS"); stop
        rm -rf "$data"
      else
        start "$t"; STARTS+=("$t|in memory|$START_MS|$START_CPU_MS"); stop
      fi
      echo "peers: starts, round $r, $t: ${STARTS[*]: -2}" >&2
    done
  done
else
for t in $TARGETS; do
  if [ "${t%%@*}" = purser ]; then
    data="$RAW/purser-data"; rm -rf "$data"
    if [ "$STARTS_TOO" = 1 ]; then
      record_aot "$t" "$data"; rm -rf "$data"
      start "$t" "$data"; STARTS+=("$t|fresh data dir|$START_MS|$START_CPU_MS"); stop
    fi
    start "$t" "$data"; STARTS+=("$t|$([ "$STARTS_TOO" = 1 ] && echo existing || echo fresh) data dir|$START_MS|$START_CPU_MS")
    measure "$t" "$data"; stop
    if [ "$STARTS_TOO" = 1 ]; then
      start "$t" "$data"; STARTS+=("$t|existing data dir, after load|$START_MS|$START_CPU_MS"); stop
    fi
    rm -rf "$data"
  else
    start "$t"; STARTS+=("$t|in memory|$START_MS|$START_CPU_MS"); measure "$t"; stop
  fi
done
fi
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)

if [ "$PROFILE" = 1 ] && [ -f "$RAW/purser-c16.jfr" ]; then
  "$JAVA_HOME/bin/jfr" view --width 220 hot-methods "$RAW/purser-c16.jfr" > "$RAW/jfr-hot-methods.txt" 2>&1 || true
  "$JAVA_HOME/bin/jfr" summary "$RAW/purser-c16.jfr" > "$RAW/jfr-summary.txt" 2>&1 || true
fi

{
  echo "# Peers benchmark, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  [ -n "${NOTE:-}" ] && { echo "$NOTE"; echo; }
  echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo),"
  echo "shared by wrk and the server (and other work: load average $LOAD0 before, $LOAD1 after). $($JAVA -version 2>&1 | head -n 1);"
  echo "node $(node --version); $(wrk --version 2>&1 | head -n 1 | awk '{print $1, $2}'). Purser: \`${PURSER_JAVA_OPTS:-$LAUNCHER_JAVA_OPTS}\`${OTHER_JAVA_OPTS:+ (purser@…: \`$OTHER_JAVA_OPTS\`)}; a2a-java: \`$REF_JAVA_OPTS\`."
  if [ ${#ROWS[@]} -gt 0 ]; then
    echo "wrk -t$THREADS, $FIRST_WARMUP warm-up at the first c and $WARMUP at the next, then $ROUNDS rounds of $DURATION per concurrency; medians of the rounds."
    echo
    echo "| target | c | req/s | p50 ms | p99 ms | CPU µs/req (server) | CPU µs/req (PostgreSQL) | peak RSS MiB (server) | peak RSS MiB (PostgreSQL) | errors |"
    echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
    for row in "${ROWS[@]}"; do
      IFS='|' read -r n c rps p50 p99 cpu pgc rss rsspg e <<< "$row"
      echo "| $n | $c | $(printf %.0f "$rps") | $p50 | $p99 | $cpu | $pgc | $rss | $rsspg | $e |"
    done
    echo
    # "Purser" is the target named purser, else the last purser@DIR (the build being measured).
    me=""
    for row in "${ROWS[@]}"; do
      n=${row%%|*}
      if [ "${n%%@*}" = purser ] && [ "$me" != purser ]; then me=$n; fi
    done
    echo "Ratios, $me to each other target at the same c (same run):"
    echo
    echo "| c | peer | req/s ratio | p99 ratio | total CPU/req ratio |"
    echo "|---:|---|---:|---:|---:|"
    for row in "${ROWS[@]}"; do
      IFS='|' read -r n c rps p50 p99 cpu pgc _ <<< "$row"
      [ "$n" = "$me" ] && continue
      for mine in "${ROWS[@]}"; do
        IFS='|' read -r n0 c0 rps0 _ p990 cpu0 pgc0 _ <<< "$mine"
        [ "$n0" = "$me" ] && [ "$c0" = "$c" ] || continue
        awk -v c="$c" -v n="$n" -v a="$rps0" -v b="$rps" -v p="$p990" -v q="$p99" -v x="$((cpu0 + pgc0))" -v y="$((cpu + pgc))" \
          'BEGIN {printf "| %s | %s | %.2f | %.2f | %.2f |\n", c, n, a / b, p / q, x / y}'
      done
    done
    echo
  fi
  echo "Start, launch to the first served agent card (ms), and the CPU it took (ms: the server with"
  echo "its children, Purser's PostgreSQL included):"
  echo
  echo "| target | data | ms | CPU ms |"
  echo "|---|---|---:|---:|"
  for s in "${STARTS[@]}"; do IFS='|' read -r n k ms cpu <<< "$s"; echo "| $n | $k | $ms | $cpu |"; done
  echo
  if [ "$STARTS_ONLY" = 1 ]; then
    echo "Medians of the $ROUNDS rounds:"
    echo
    echo "| target | data | ms | CPU ms |"
    echo "|---|---|---:|---:|"
    for s in "${STARTS[@]}"; do IFS='|' read -r n k _ <<< "$s"; echo "$n|$k"; done | awk '!seen[$0]++' |
      while IFS= read -r key; do
        ms=$(for s in "${STARTS[@]}"; do case "$s" in "$key|"*) echo "$s" | cut -d'|' -f3 ;; esac; done | median)
        cpu=$(for s in "${STARTS[@]}"; do case "$s" in "$key|"*) echo "$s" | cut -d'|' -f4 ;; esac; done | median)
        echo "| ${key%%|*} | ${key#*|} | $ms | $cpu |"
      done
    echo
  fi
  echo "Per-round numbers, logs and profiles: \`${RAW#"$HERE"/}/\` (not committed)."
} > "$OUT"
echo "peers: results in $OUT" >&2
cat "$OUT"
exit
}
