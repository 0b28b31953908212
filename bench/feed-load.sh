#!/usr/bin/env bash
# Benchmark (not a test) of the private calendar feed `GET /feeds/{token}.ics`: a fresh
# SQLite database seeded with a meeting of 300 sessions over 3 days and 1,000 approved
# attendees (examples/bench_seed.rs), `csirt-meet serve` in release mode, and one
# attendee's feed under load from `wrk`: full answers (200) and revalidations (304, with
# If-None-Match), over keep-alive connections and with `Connection: close`, then the same
# two over keep-alive with `Accept-Encoding: gzip`. Reports requests per second, p99
# latency, error counts, the server's CPU per answer and its peak RSS.
#
#   bash bench/feed-load.sh                        # 6 runs of 15 s, 64 connections
#   DURATION=5 bash bench/feed-load.sh             # quicker
#   CONNECTIONS=16 THREADS=1 bash bench/feed-load.sh
#   PG_URL=postgres://postgres@127.0.0.1:5432/postgres bash bench/feed-load.sh
#
# PG_URL: run on PostgreSQL instead of SQLite. The URL is an administrative connection
# (as TEST_DATABASE_URL for the tests); the script creates a scratch database next to it
# and drops it at the end. Needs psql (the Debian package postgresql-client).
#
# Needs: cargo, curl and wrk (the Debian package `wrk`, installed if missing). Only
# loopback traffic: the server listens on 127.0.0.1. Everything else lives in a temporary
# folder.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

DURATION="${DURATION:-15}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
for var in DURATION CONNECTIONS THREADS; do
  if ! [[ "${!var}" =~ ^[1-9][0-9]*$ ]]; then
    echo "feed-load: $var must be a positive integer, not '${!var}'" >&2
    exit 2
  fi
done
if ((THREADS > CONNECTIONS)); then
  echo "feed-load: THREADS ($THREADS) must not exceed CONNECTIONS ($CONNECTIONS)" >&2
  exit 2
fi

BENCH=feed-load
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
scrub_env
PG_URL="${PG_URL:-}"
if [[ -n "$PG_URL" && ! "$PG_URL" =~ ^postgres(ql)?://[^[:space:]]+/[A-Za-z0-9_]+$ ]]; then
  echo "feed-load: PG_URL must be postgres://USER@HOST:PORT/DATABASE, not '$PG_URL'" >&2
  exit 2
fi

build_release
command -v curl >/dev/null || fail "curl is missing"
install_debian wrk "$(command -v wrk || echo /usr/bin/wrk)"

scratch="$(mktemp -d "${TMPDIR:-/tmp}/feed-load.XXXXXX")"
server_pid=""
pg_database=""
cleanup() {
  if [[ -n "$server_pid" ]] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  if [[ -n "$pg_database" ]]; then
    psql -q -X -d "$PG_URL" -c "DROP DATABASE IF EXISTS \"$pg_database\" WITH (FORCE)" >/dev/null 2>&1 ||
      echo "feed-load: could not drop the scratch database $pg_database" >&2
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

settings="$scratch/bench.toml"
printf '[auth]\nsetup_link = false\n' >"$settings"
if [[ -n "$PG_URL" ]]; then
  command -v psql >/dev/null || fail "psql is missing (the Debian package postgresql-client)"
  pg_database="feed_load_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
  psql -q -X -v ON_ERROR_STOP=1 -d "$PG_URL" -c "CREATE DATABASE \"$pg_database\"" >&2 ||
    fail "could not create a scratch database at $PG_URL"
  database_url="${PG_URL%/*}/$pg_database"
  engine="PostgreSQL"
else
  database_url="sqlite://$scratch/bench.db"
  engine="SQLite"
fi

step "seeding the $engine database (examples/bench_seed.rs)"
t0="$(date +%s.%N)"
"$seed" "$database_url" "$scratch/token" >&2
t1="$(date +%s.%N)"
seed_secs="$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')"
token="$(<"$scratch/token")"
[[ "$token" =~ ^[0-9a-f]{64}$ ]] || fail "the seeding program wrote no token"

step "csirt-meet serve on 127.0.0.1 (log level warn)"
start_app "$database_url"

url="$base/feeds/$token.ics"
shown="$base/feeds/<token>.ics" # the token stays out of the output

# probe NAME [curl args]: fetches the feed once; sets code, bytes (status line, headers and
# body as received) and keeps the headers and body in $scratch/NAME.{headers,body}.
probe() {
  local name="$1"
  shift
  read -r code header_bytes body_bytes < <(curl -sS "$@" -D "$scratch/$name.headers" \
    -o "$scratch/$name.body" -w '%{http_code} %{size_header} %{size_download}\n' "$url")
  bytes=$((header_bytes + body_bytes))
}
header() { sed -n "s/^$1: *//Ip" "$2" | tr -d '\r' | head -n 1; }

step "checking the feed at $shown"
probe first
[[ "$code" == 200 ]] || fail "the feed answered $code, expected 200"
events="$(grep -c '^BEGIN:VEVENT' "$scratch/first.body" || true)"
((events >= 300)) || fail "the feed has $events VEVENTs, expected at least 300"
etag="$(header etag "$scratch/first.headers")"
[[ "$etag" =~ ^\"[0-9a-f]{64}\"$ ]] || fail "no strong ETag on the feed (got '$etag')"
[[ -n "$(header last-modified "$scratch/first.headers")" ]] || fail "no Last-Modified on the feed"
body_bytes_200="$(wc -c <"$scratch/first.body")"

# The expected size of each answer, per connection mode ("Connection: close" adds a header).
declare -A expect_code expect_bytes
check_mode() {
  local run="$1" want="$2"
  shift 2
  probe "$run" "$@"
  [[ "$code" == "$want" ]] || fail "$run: the feed answered $code, expected $want"
  if [[ "$want" == 200 ]]; then
    cmp -s "$scratch/first.body" "$scratch/$run.body" || fail "$run: the feed body changed between fetches"
  fi
  [[ "$(header etag "$scratch/$run.headers")" == "$etag" ]] || fail "$run: the ETag changed between fetches"
  expect_code[$run]="$want"
  expect_bytes[$run]="$bytes"
}
inm=(-H "If-None-Match: $etag")
close=(-H 'Connection: close')
check_mode 200-keepalive 200
check_mode 304-keepalive 304 "${inm[@]}"
check_mode 200-close 200 "${close[@]}"
check_mode 304-close 304 "${inm[@]}" "${close[@]}"
[[ ! -s "$scratch/304-keepalive.body" ]] || fail "the 304 answer has a body"

# The gzip representation: compressed once (the same bytes and ETag on every fetch), its
# own strong ETag, and exactly the plain body once decompressed.
gzip=(-H 'Accept-Encoding: gzip')
probe gzip "${gzip[@]}"
[[ "$code" == 200 ]] || fail "the feed answered $code to Accept-Encoding: gzip"
[[ "$(header content-encoding "$scratch/gzip.headers")" == gzip ]] || fail "no gzip for Accept-Encoding: gzip"
gzip_etag="$(header etag "$scratch/gzip.headers")"
[[ "$gzip_etag" =~ ^\"[0-9a-f]{64}\"$ && "$gzip_etag" != "$etag" ]] ||
  fail "the gzip answer needs a strong ETag of its own (got '$gzip_etag')"
gzip -dc <"$scratch/gzip.body" | cmp -s - "$scratch/first.body" ||
  fail "the gzip answer does not decompress to the plain body"
gzip_bytes_200="$(wc -c <"$scratch/gzip.body")"
check_gzip() {
  local run="$1" want="$2"
  shift 2
  probe "$run" "${gzip[@]}" "$@"
  [[ "$code" == "$want" ]] || fail "$run: the feed answered $code, expected $want"
  if [[ "$want" == 200 ]]; then
    cmp -s "$scratch/gzip.body" "$scratch/$run.body" || fail "$run: the gzip body changed between fetches"
  fi
  [[ "$(header etag "$scratch/$run.headers")" == "$gzip_etag" ]] || fail "$run: the gzip ETag changed"
  expect_code[$run]="$want"
  expect_bytes[$run]="$bytes"
}
check_gzip 200-gzip 200
check_gzip 304-gzip 304 -H "If-None-Match: $gzip_etag"

write_wrk_stats "$scratch/stats.lua"

proc_kb() { sed -n "s/^$1:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$server_pid/status"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$server_pid/stat"; }
hz="$(getconf CLK_TCK)"
idle_rss_kb="$(proc_kb VmRSS)"
load_before="$(cut -d ' ' -f 1-3 /proc/loadavg)"

results="$scratch/results.txt"
: >"$results"
run() {
  local run="$1"
  shift
  step "wrk $run: ${DURATION}s, $CONNECTIONS connections, $THREADS threads"
  local out="$scratch/$run.wrk" c0 c1
  c0="$(cpu_ticks)"
  wrk -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" --timeout 10s --latency \
    -s "$scratch/stats.lua" "$@" "$url" >"$out" 2>&1 || { cat "$out" >&2; fail "$run: wrk failed"; }
  c1="$(cpu_ticks)"
  kill -0 "$server_pid" 2>/dev/null || fail "$run: the server died"
  grep -v '^WRKSTATS' "$out" | sed "s|$token|<token>|g" >&2
  local stats
  stats="$(grep '^WRKSTATS' "$out")" || fail "$run: no statistics from wrk's done()"
  local requests bytes duration_us connect rd wr status timeout p50_us p99_us
  read -r requests bytes duration_us connect rd wr status timeout p50_us p99_us \
    < <(sed 's/^WRKSTATS //; s/[a-z0-9_]*=//g' <<<"$stats")
  ((requests > 0)) || fail "$run: no request completed"
  ((status == 0)) || fail "$run: $status answers were not 2xx or 3xx"
  ((rd == 0 && wr == 0 && timeout == 0)) ||
    fail "$run: socket errors: read $rd, write $wr, timeout $timeout"
  if [[ "$run" != *-close ]]; then
    ((connect == 0)) || fail "$run: $connect connect errors on keep-alive connections"
  fi
  # Every completed answer has exactly the probed size (fixed-width Date header); bytes of
  # at most one unfinished answer per connection may come on top.
  local size="${expect_bytes[$run]}"
  ((bytes >= requests * size && bytes < (requests + CONNECTIONS) * size)) ||
    fail "$run: $bytes bytes for $requests answers; expected $size bytes per ${expect_code[$run]} answer"
  local hwm_kb
  hwm_kb="$(proc_kb VmHWM)"
  printf '%s %s %s %s %s %s %s %s %s\n' "$run" "$requests" "$duration_us" "$p50_us" "$p99_us" "$status" \
    "$connect" "$hwm_kb" "$(((c1 - c0) * 100 / hz))" >>"$results"
}
run 200-keepalive
run 304-keepalive "${inm[@]}"
run 200-close "${close[@]}"
run 304-close "${inm[@]}" "${close[@]}"
run 200-gzip "${gzip[@]}"
run 304-gzip "${gzip[@]}" -H "If-None-Match: $gzip_etag"

step "checking the feed again after the runs"
check_mode after 200
[[ "$(grep -c '^BEGIN:VEVENT' "$scratch/after.body")" == "$events" ]] || fail "the feed changed under load"
peak_rss_kb="$(proc_kb VmHWM)"
if grep -q ' WARN \| ERROR ' "$log"; then
  echo "the server logged warnings or errors (last lines):" >&2
  grep ' WARN \| ERROR ' "$log" | tail -n 5 >&2
fi
kill -TERM "$server_pid"
wait "$server_pid" || fail "the server exited with an error after SIGTERM"
server_pid=""

awk -v conns="$CONNECTIONS" -v threads="$THREADS" -v dur="$DURATION" -v events="$events" \
  -v body="$body_bytes_200" -v gz="$gzip_bytes_200" -v engine="$engine" -v seed="$seed_secs" -v idle="$idle_rss_kb" -v peak="$peak_rss_kb" \
  -v loadavg="$load_before" -v cores="$(nproc)" '
BEGIN {
  printf "\nfeed load: one attendee'"'"'s feed (%d VEVENTs, %.0f KiB, gzip %.0f KiB), 300 sessions, 1,000 approved attendees, %s\n", events, body / 1024, gz / 1024, engine
  printf "wrk: %d connections, %d threads, %d s per run; %d cores, load average before: %s; seeding took %s s\n\n", conns, threads, dur, cores, loadavg, seed
  printf "  %-15s %10s %9s %9s %8s %9s %12s %8s %8s\n", "run", "requests/s", "p50", "p99", "non-2xx", "conn.err", "peak RSS", "srv CPU", "CPU/req"
}
{
  printf "  %-15s %10.0f %7.2fms %7.2fms %8d %9d %8.1f MiB %7d%% %6.3fms\n", $1, $2 / ($3 / 1e6), $4 / 1000, $5 / 1000, $6, $7, $8 / 1024, $9 / dur, $9 * 10 / $2
  results[NR] = sprintf("RESULT run=%s rps=%.1f p99_ms=%.2f errors=%d connect_errors=%d peak_rss_mib=%.1f cpu_ms_per_req=%.3f", $1, $2 / ($3 / 1e6), $5 / 1000, $6, $7, $8 / 1024, $9 * 10 / $2)
}
END {
  printf "\n  server RSS idle before the runs %.1f MiB, peak over all runs %.1f MiB (VmHWM)\n", idle / 1024, peak / 1024
  printf "  peak RSS is the high-water mark so far after each run; srv CPU is the server'"'"'s CPU time over the run (200%% = both cores),\n  CPU/req that time per completed answer\n"
  for (i = 1; i <= NR; i++) print results[i]
}' "$results"
