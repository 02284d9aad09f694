#!/usr/bin/env bash
# Stream soak: starts the packaged Purser (embedded PostgreSQL in a fresh data dir), measures a
# baseline, runs ROUNDS x N streams (C in flight, every A-th abandoned after its first event),
# and after each round forces a GC and records live threads, open subscriptions/topics, heap and
# RSS. Results go to results-<date>.md. Needs: target/quarkus-app (./mvnw package -DskipTests).
# Usage: bench/stream-soak/run.sh [N=1000] [C=50] [A=4] [ROUNDS=3]
set -euo pipefail
cd "$(dirname "$0")/../.."
N="${1:-1000}"; C="${2:-50}"; A="${3:-4}"; ROUNDS="${4:-3}"
PORT="${PORT:-18490}"
JAVA="${JAVA:-$(. .mvn/find-jdk.sh >/dev/null 2>&1; echo "${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}")/bin/java}"
[ -x "$JAVA" ] || JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java
JCMD="$(dirname "$JAVA")/jcmd"
DATA="$(mktemp -d)"
OUT="bench/stream-soak/results-$(date -u +%Y-%m-%d).md"
PURSER_DATA_DIR="$DATA" QUARKUS_HTTP_PORT="$PORT" "$JAVA" -Xmx512m -jar target/quarkus-app/quarkus-run.jar \
  > "$DATA/purser.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; wait $PID 2>/dev/null || true' EXIT
for i in $(seq 1 120); do curl -sf "localhost:$PORT/q/health/ready" >/dev/null && break; sleep 1; done

metric() { curl -s "localhost:$PORT/q/metrics" | awk -v m="$1" '$1 ~ "^"m"({|$)" {s+=$2} END {printf "%.0f", s}'; }
sample() {
  "$JCMD" "$PID" GC.run >/dev/null; sleep 2
  local threads rss heap subs topics
  threads=$(metric jvm_threads_live_threads)
  subs=$(metric purser_stream_subscriptions)
  topics=$(metric purser_stream_topics)
  heap=$(curl -s "localhost:$PORT/q/metrics" | awk 'index($0, "jvm_memory_used_bytes{area=\"heap\"") == 1 {s+=$NF} END {printf "%.1f", s/1048576}')
  rss=$(awk '/VmRSS/ {printf "%.0f", $2/1024}' /proc/$PID/status)
  echo "| $1 | $threads | $subs | $topics | $heap | $rss |"
}

# Warm-up round (JIT, pools), then the baseline.
"$JAVA" bench/stream-soak/Soak.java "http://localhost:$PORT" 200 "$C" "$A" >/dev/null
{
  echo "# Stream soak, $(date -u +%Y-%m-%dT%H:%MZ)"
  echo
  echo "$ROUNDS rounds of $N SendStreamingMessage streams (echo skill, 1.0), $C in flight, every ${A}th client"
  echo "hangs up after the first event. \`nproc\`=$(nproc), load before: $(cut -d' ' -f1-3 /proc/loadavg). JVM: $("$JAVA" -version 2>&1 | head -1), -Xmx512m."
  echo "Samples are taken after a forced GC (jcmd GC.run) and 2 s of quiet."
  echo
  echo "| sample | live threads | open subscriptions | open topics | heap used MiB | RSS MiB |"
  echo "|---|---|---|---|---|---|"
  sample baseline
  for r in $(seq 1 "$ROUNDS"); do
    line=$("$JAVA" bench/stream-soak/Soak.java "http://localhost:$PORT" "$N" "$C" "$A")
    echo "$line" >&2
    sleep 3
    sample "after round $r ($line)"
  done
} | tee "$OUT"
