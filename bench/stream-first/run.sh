#!/usr/bin/env bash
# Streaming latency: time from an A2A 0.3 `message/stream` request to its first SSE event (the
# task, stored before it is announced) and to the stream's end, on Purser's free echo skill. Starts
# each build in turn on a fresh data directory with the launcher's JVM flags, warms it up, then
# runs ROUNDS rounds of N streams at each concurrency; medians of the rounds' percentiles go to
# results-<date>.md (raw output in tmp/, git-ignored). See README.md.
#
#   bench/stream-first/run.sh              # target/quarkus-app (./mvnw package -DskipTests first)
#
# Environment (defaults in brackets): APPS [target/quarkus-app] one or more quarkus-app dirs
#   (before/after in one run), CONNS ["1 16"], N [2000] streams per round, ROUNDS [3],
#   WARMUP [3000] streams at c=4 first, PORT [28790], JAVA_OPTS [-XX:+UseSerialGC -Xmx256m].
set -euo pipefail
{
HERE="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
APPS="${APPS:-$ROOT/target/quarkus-app}"
CONNS="${CONNS:-1 16}"
N="${N:-2000}"
ROUNDS="${ROUNDS:-3}"
WARMUP="${WARMUP:-3000}"
PORT="${PORT:-28790}"
JAVA_OPTS="${JAVA_OPTS:--XX:+UseSerialGC -Xmx256m}"
. "$ROOT/.mvn/find-jdk.sh"
JAVA="$JAVA_HOME/bin/java"
RAW="$HERE/tmp/$(date -u +%Y%m%d-%H%M%S)"
OUT="$HERE/results-$(date -u +%Y-%m-%d-%H%M).md"
mkdir -p "$RAW"
# The client, compiled once (a source launch would compile it again for every round).
"$JAVA_HOME/bin/javac" -d "$RAW/classes" "$HERE/FirstEvent.java"
client() { "$JAVA" -cp "$RAW/classes" FirstEvent "http://127.0.0.1:$PORT/api/a2a" "$@"; }

SERVER=""
cleanup() { [ -n "$SERVER" ] && kill "$SERVER" 2>/dev/null; wait 2>/dev/null || true; }
trap cleanup EXIT
median() { sort -g | awk '{a[NR] = $1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }
field() { awk -v k="$1" -v w="$2" '{ s = substr($0, index($0, k)); split(s, a, " ");
  for (i = 1; i <= length(a); i++) if (a[i] == w) { print a[i + 1]; break } }'; }

ROWS=()
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
for app in $APPS; do
  ss -ltn | grep -q ":$PORT " && { echo "stream-first: port $PORT is in use (PORT=...)" >&2; exit 2; }
  data="$RAW/data"; rm -rf "$data"
  # shellcheck disable=SC2086 # a list of JVM flags
  PURSER_DATA_DIR="$data" QUARKUS_HTTP_PORT=$PORT QUARKUS_HTTP_HOST=127.0.0.1 \
    "$JAVA" $JAVA_OPTS -jar "$app/quarkus-run.jar" > "$RAW/purser-$(basename "$(dirname "$app")").log" 2>&1 &
  SERVER=$!
  for _ in $(seq 1 3000); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/.well-known/agent-card.json" && break
    kill -0 "$SERVER" 2>/dev/null || { echo "stream-first: $app exited at start" >&2; exit 2; }
    sleep 0.01
  done
  echo "stream-first: $app warm-up ($WARMUP streams)" >&2
  client "$WARMUP" 4 > "$RAW/warmup.txt"
  for c in $CONNS; do
    f="$RAW/$(echo "$app" | tr / _)-c$c.txt"
    for r in $(seq 1 "$ROUNDS"); do
      client "$N" "$c" | tee -a "$f" >&2
    done
    row="$app|$c"
    for k in "streams/s" "first event ms|p50" "first event ms|p99" "end ms|p50" "end ms|p99"; do
      if [ "$k" = streams/s ]; then v=$(awk '{for (i = 1; i < NF; i++) if ($i == "streams/s") print $(i + 1)}' "$f" | median)
      else v=$(field "${k%|*}" "${k#*|}" < "$f" | median); fi
      row="$row|$v"
    done
    ROWS+=("$row")
  done
  kill "$SERVER"; wait "$SERVER" 2>/dev/null || true; SERVER=""; sleep 1
done
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)
{
  echo "# Streaming first event, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "$(nproc) cores, load average $LOAD0 before and $LOAD1 after; $("$JAVA" -version 2>&1 | head -n 1); \`$JAVA_OPTS\`."
  echo "A2A 0.3 \`message/stream\` on the free echo skill; $WARMUP warm-up streams, then $ROUNDS rounds of $N streams per concurrency (C keep-alive connections, one stream after another on each); medians of the rounds."
  echo
  echo "| build | c | streams/s | first event p50 ms | first event p99 ms | end p50 ms | end p99 ms |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for row in "${ROWS[@]}"; do IFS='|' read -r a c s f50 f99 e50 e99 <<< "$row"; echo "| \`${a#"$ROOT"/}\` | $c | $s | $f50 | $f99 | $e50 | $e99 |"; done
  echo
  echo "Raw rounds: \`${RAW#"$HERE"/}/\` (not committed)."
} > "$OUT"
cat "$OUT"
exit
}
