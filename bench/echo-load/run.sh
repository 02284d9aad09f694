#!/usr/bin/env bash
# Echo load benchmark: A2A 0.3 `message/send` against already-running servers, one after the other,
# on this machine; writes a results table to bench/echo-load/results-<date>.md. See README.md.
#
#   bench/echo-load/run.sh NAME URL PIDS [NAME URL PIDS ...]
#
#   NAME  a label for the table (e.g. purser, a2a-sdk-ref)
#   URL   the JSON-RPC endpoint, path included (http://127.0.0.1:8080/api/a2a, http://127.0.0.1:9999/)
#   PIDS  the server's process id; a comma-separated list sums RSS over several processes (e.g. a
#         JVM and the postmaster of its embedded PostgreSQL). Children of each pid are included.
#
# Environment (defaults in brackets): WARMUP [10s], DURATION [30s], THREADS [2], CONNECTIONS [16],
#   CHECK_EVERY [1] (inspect every Nth body, see a2a-send.lua), A2A_VERSION [none: no header],
#   SAMPLE_INTERVAL [0.5] (seconds between RSS samples), SETTLE [5] (seconds before the "after" RSS),
#   OUT [bench/echo-load/results-YYYY-MM-DD.md, -HHMMSS added if it exists], NOTE [free text for the file].
# Loopback targets only: the script refuses any other host.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
LUA="$HERE/a2a-send.lua"
WARMUP="${WARMUP:-10s}"
DURATION="${DURATION:-30s}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-16}"
CHECK_EVERY="${CHECK_EVERY:-1}"
A2A_VERSION="${A2A_VERSION:-none}"
SAMPLE_INTERVAL="${SAMPLE_INTERVAL:-0.5}"
SETTLE="${SETTLE:-5}"

die() { echo "run.sh: $*" >&2; exit 2; }
[ $# -ge 3 ] && [ $(($# % 3)) -eq 0 ] || die "usage: $0 NAME URL PIDS [NAME URL PIDS ...]"
command -v wrk >/dev/null || die "wrk not found: apt-get install -y wrk"
command -v curl >/dev/null || die "curl not found"

if [ -z "${OUT:-}" ]; then
  OUT="$HERE/results-$(date +%Y-%m-%d).md"
  [ -e "$OUT" ] && OUT="$HERE/results-$(date +%Y-%m-%d-%H%M%S).md"
fi
RAW="$HERE/tmp/$(date +%Y%m%d-%H%M%S)"   # raw wrk output and RSS samples (git-ignored)
mkdir -p "$RAW"

# RSS in kB of the listed pids and all their descendants (VmRSS, which counts shared pages in each).
descendants() { local p; for p in $(pgrep -P "$1" 2>/dev/null || true); do echo "$p"; descendants "$p"; done; }
rss_kb() {
  local total=0 p v
  for p in $(for root in ${1//,/ }; do echo "$root"; descendants "$root"; done | sort -u); do
    v=$(awk '/^VmRSS:/ {print $2}' "/proc/$p/status" 2>/dev/null || true)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}
# CPU time (user + system, clock ticks) used so far by the listed pids and their descendants.
cpu_ticks() {
  local total=0 p v
  for p in $(for root in ${1//,/ }; do echo "$root"; descendants "$root"; done | sort -u); do
    v=$(awk '{sub(/^.*\) /, ""); print $12 + $13}' "/proc/$p/stat" 2>/dev/null || true)
    total=$((total + ${v:-0}))
  done
  echo "$total"
}
alive() { local p; for p in ${1//,/ }; do [ -d "/proc/$p" ] || return 1; done; }

# wrk prints latencies as 850.00us, 1.23ms, 1.02s, 2.00m: normalise to milliseconds.
to_ms() {
  awk -v x="$1" 'BEGIN {
    if (x ~ /us$/) { sub(/us$/, "", x); printf "%.3f", x / 1000 }
    else if (x ~ /ms$/) { sub(/ms$/, "", x); printf "%.3f", x }
    else if (x ~ /m$/) { sub(/m$/, "", x); printf "%.3f", x * 60000 }
    else if (x ~ /s$/) { sub(/s$/, "", x); printf "%.3f", x * 1000 }
    else printf "nan" }'
}
field() { awk -v k="$1" '$1 == k {print $2; exit}' "$2"; }

PROBE='{"jsonrpc":"2.0","id":1,"method":"message/send","params":{"message":{"kind":"message","role":"user","messageId":"probe-'"$$"'","parts":[{"kind":"text","text":"hi"}]}}}'

ROWS=()
i=0
while [ $# -gt 0 ]; do
  name="$1" url="$2" pids="$3"; shift 3; i=$((i + 1))
  case "$url" in
    http://127.*|http://localhost[:/]*|http://\[::1\]*) ;;
    *) die "$name: $url is not a loopback address" ;;
  esac
  alive "$pids" || die "$name: no process $pids"
  hdr=(); [ "$A2A_VERSION" != none ] && hdr=(-H "A2A-Version: $A2A_VERSION")

  echo "== $name ($url, pid $pids)" >&2
  # One request first: a target that does not answer a completed echo task is not worth measuring.
  probe=$(curl -sS -m 10 -X POST "$url" -H 'Content-Type: application/json' "${hdr[@]}" -d "$PROBE" || true)
  case "$probe" in
    *'"error"'*|'') die "$name: probe failed: ${probe:-no answer}" ;;
    *completed*) ;;
    *) die "$name: probe did not complete: $probe" ;;
  esac
  rss_start=$(rss_kb "$pids")
  load_before=$(cut -d' ' -f1-3 /proc/loadavg)   # other work on the shared cores shows up here

  echo "   warm-up $WARMUP" >&2
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$WARMUP" -s "$LUA" "$url" -- "$CHECK_EVERY" "$A2A_VERSION" \
    > "$RAW/$i-$name-warmup.txt" 2>&1
  rss_warm=$(rss_kb "$pids")

  echo "   measure $DURATION" >&2
  samples="$RAW/$i-$name-rss.txt"; : > "$samples"
  ( while :; do echo "$(date +%s.%N) $(rss_kb "$pids")" >> "$samples"; sleep "$SAMPLE_INTERVAL"; done ) &
  sampler=$!
  cpu0=$(cpu_ticks "$pids")
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"$DURATION" --latency -s "$LUA" "$url" -- "$CHECK_EVERY" "$A2A_VERSION" \
    > "$RAW/$i-$name-run.txt" 2>&1 || true
  cpu1=$(cpu_ticks "$pids")
  kill "$sampler" 2>/dev/null || true; wait "$sampler" 2>/dev/null || true
  sleep "$SETTLE"
  rss_after=$(rss_kb "$pids")
  alive "$pids" || echo "   WARNING: $name died during the run" >&2

  run="$RAW/$i-$name-run.txt"
  cat "$run" >&2
  rps=$(awk '/^Requests\/sec:/ {print $2}' "$run")
  p50=$(awk '$1 == "50%" {print $2}' "$run"); p90=$(awk '$1 == "90%" {print $2}' "$run")
  p99=$(awk '$1 == "99%" {print $2}' "$run")
  total=$(awk '/requests in/ {print $1}' "$run")
  non2xx=$(awk -F: '/Non-2xx or 3xx responses/ {gsub(/ /, "", $2); print $2}' "$run")
  sock=$(field A2A_SOCKET_ERRORS "$run"); st=$(field A2A_STATUS_ERRORS "$run")
  rpc=$(field A2A_RPC_ERRORS "$run"); nc=$(field A2A_NOT_COMPLETED "$run"); chk=$(field A2A_CHECKED "$run")
  # Server CPU during the measured run, and per 1000 requests: what a request costs, whatever wrk got.
  cpu_s=$(awk -v t=$((cpu1 - cpu0)) -v hz="$(getconf CLK_TCK)" 'BEGIN {printf "%.1f", t / hz}')
  cpu_per_k=$(awk -v c="$cpu_s" -v n="${total:-0}" 'BEGIN {if (n > 0) printf "%.1f", c * 1000000 / n; else print "n/a"}')
  errors=$(( ${sock:-0} + ${st:-0} + ${rpc:-0} + ${nc:-0} ))
  peak=$(awk 'BEGIN {m = 0} $2 > m {m = $2} END {print m}' "$samples")
  nsamples=$(wc -l < "$samples")
  cmd=$(for p in ${pids//,/ }; do tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null; echo; done | head -c 600 | tr '\n' ';')
  exe=$(readlink "/proc/${pids%%,*}/exe" 2>/dev/null || echo "?")
  ROWS+=("$name|$url|${rps:-nan}|$(to_ms "${p50:-}")|$(to_ms "${p90:-}")|$(to_ms "${p99:-}")|${total:-0}|$errors|${sock:-0}/${st:-0}/${rpc:-0}/${nc:-0}|${chk:-0}|$rss_start|$rss_warm|$peak|$rss_after|$nsamples|$pids|$exe|$cmd|${non2xx:-0}|$load_before|$cpu_s|$cpu_per_k")
done

mb() { awk -v k="$1" 'BEGIN {printf "%.0f", k / 1024}'; }
{
  echo "# Echo load benchmark — $(date '+%Y-%m-%d %H:%M:%S %Z')"
  echo
  [ -n "${NOTE:-}" ] && { echo "$NOTE"; echo; }
  echo "wrk -t$THREADS -c$CONNECTIONS -d$DURATION --latency (after a $WARMUP warm-up each), A2A 0.3 \`message/send\`,"
  echo "unique messageId per request, A2A-Version header: $A2A_VERSION, body checked on 1 in $CHECK_EVERY responses."
  echo "Machine: $(nproc) cores ($(awk -F: '/model name/ {gsub(/^ +/, "", $2); print $2; exit}' /proc/cpuinfo)), shared by wrk and the servers;"
  echo "$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM; $(uname -sr); $(wrk --version 2>&1 | head -n 1 | awk '{print $1, $2}'). Targets run one after the other."
  echo
  echo "| target | req/s | p50 ms | p90 ms | p99 ms | requests | errors | peak RSS MiB | RSS after MiB | server CPU ms / 1k req |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for r in "${ROWS[@]}"; do
    IFS='|' read -r n u rps p50 p90 p99 tot err det chk r0 rw pk ra ns pids exe cmd nx la cs cpk <<< "$r"
    echo "| $n | $rps | $p50 | $p90 | $p99 | $tot | $err | $(mb "$pk") | $(mb "$ra") | $cpk |"
  done
  echo
  if [ "${#ROWS[@]}" -ge 2 ]; then
    IFS='|' read -r n0 _ rps0 _ _ p990 _ _ _ _ _ _ pk0 _ <<< "${ROWS[0]}"
    echo "Ratios to $n0 (same run; compare these, not absolute numbers across machines or runs):"
    echo
    echo "| target | req/s ratio | p99 ratio | peak RSS ratio |"
    echo "|---|---:|---:|---:|"
    for r in "${ROWS[@]}"; do
      IFS='|' read -r n _ rps _ _ p99 _ _ _ _ _ _ pk _ <<< "$r"
      awk -v n="$n" -v a="$rps" -v b="$rps0" -v c="$p99" -v d="$p990" -v e="$pk" -v f="$pk0" \
        'function q(x, y) { return (y > 0) ? sprintf("%.2f", x / y) : "n/a" }
         BEGIN { printf "| %s | %s | %s | %s |\n", n, q(a, b), q(c, d), q(e, f) }'
    done
    echo
  fi
  echo "Details (errors = socket/non-200/JSON-RPC error/not completed; RSS in MiB at start, after warm-up, peak of samples during the run, ${SETTLE}s after):"
  echo
  for r in "${ROWS[@]}"; do
    IFS='|' read -r n u rps p50 p90 p99 tot err det chk r0 rw pk ra ns pids exe cmd nx la cs cpk <<< "$r"
    echo "- **$n** \`$u\` pid $pids — errors $det (bodies checked: $chk; wrk non-2xx/3xx: $nx);"
    echo "  load average before its warm-up: $la; server CPU during the run: $cs s;"
    echo "  RSS $(mb "$r0") → $(mb "$rw") → peak $(mb "$pk") ($ns samples) → $(mb "$ra"); java: \`$exe\`;"
    echo "  command: \`$cmd\`"
  done
  echo
  echo "Raw wrk output and RSS samples: \`${RAW#"$HERE"/}/\` (not committed)."
} > "$OUT"
echo "results: $OUT" >&2
cat "$OUT"
