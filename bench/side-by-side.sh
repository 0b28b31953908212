#!/usr/bin/env bash
# Benchmark (not a test) of csirt-meet against the physical limit (issue 16): the private
# calendar feed served by `csirt-meet serve` (release build, seeded by
# examples/bench_seed.rs) and, in the same run, the very same feed bytes served by
# Debian's nginx as a static file (sendfile, etag, gzip_static on the same compressed
# bytes). wrk alternates app and nginx for each run with the same request headers; the
# report has one line per run and server, then `RATIO` lines (app req/s as a share of
# nginx's), then `RESULT` lines for peak memory and cold start, then the pages
# (bench/page-load.sh, when it exists) and, with OUTBOX=1, the outbox drain.
#
#   bash bench/side-by-side.sh                  # SQLite, 6 runs x 2 servers of 10 s
#   DURATION=5 bash bench/side-by-side.sh       # quicker
#   DB=postgres bash bench/side-by-side.sh      # a scratch database on 127.0.0.1:5432
#   OUTBOX=1 bash bench/side-by-side.sh         # also bench/outbox-drain.sh
#
# Needs: cargo, curl, gzip, python3 (to find free ports), nginx and wrk (the Debian
# packages, installed if missing). Only loopback traffic: both servers listen on
# 127.0.0.1. Everything else lives in a temporary folder that is removed afterwards; with
# DB=postgres the scratch database is dropped afterwards.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
COLD_STARTS="${COLD_STARTS:-5}"
DB="${DB:-sqlite}"
OUTBOX="${OUTBOX:-0}"
OUTBOX_N="${OUTBOX_N:-10000}"
for var in DURATION CONNECTIONS THREADS COLD_STARTS OUTBOX_N; do
  if ! [[ "${!var}" =~ ^[1-9][0-9]*$ ]]; then
    echo "side-by-side: $var must be a positive integer, not '${!var}'" >&2
    exit 2
  fi
done
if ((THREADS > CONNECTIONS)); then
  echo "side-by-side: THREADS ($THREADS) must not exceed CONNECTIONS ($CONNECTIONS)" >&2
  exit 2
fi
[[ "$DB" == sqlite || "$DB" == postgres ]] || { echo "side-by-side: DB must be sqlite or postgres, not '$DB'" >&2; exit 2; }
[[ "$OUTBOX" == 0 || "$OUTBOX" == 1 ]] || { echo "side-by-side: OUTBOX must be 0 or 1, not '$OUTBOX'" >&2; exit 2; }

export LC_ALL=C
BENCH=side-by-side
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
nginx_bin=/usr/sbin/nginx

# The run must not depend on the caller's settings: no CSIRT_MEET__* or RUST_LOG (it would
# win over log.filter), a settings file of its own instead of config/local.toml (the
# --config flag below), no proxy for curl, no PG* defaults for psql, and none of the knobs
# of the scripts called at the end (N, WORKER, QUICKACK): they get this run's settings.
while read -r name; do unset "$name"; done < <(compgen -e | grep -E '^(CSIRT_MEET__|PG)' || true)
unset RUST_LOG DATABASE_URL N WORKER QUICKACK http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY no_proxy NO_PROXY

install_debian nginx "$nginx_bin"
install_debian wrk "$(command -v wrk || echo /usr/bin/wrk)"
for tool in curl gzip python3; do command -v "$tool" >/dev/null || fail "$tool is missing"; done
pg=(psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p 5432 -U postgres -d postgres)
if [[ "$DB" == postgres ]]; then
  command -v psql >/dev/null || fail "psql is missing (DB=postgres)"
  # Started like .ci/run does when it does not answer.
  if ! pg_isready -q -h 127.0.0.1 -p 5432 && command -v pg_lsclusters >/dev/null; then
    step "PostgreSQL does not answer at 127.0.0.1:5432; starting the local clusters"
    pg_lsclusters --no-header | while read -r version cluster _; do
      pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start || true
    done
    for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  pg_isready -q -h 127.0.0.1 -p 5432 || fail "PostgreSQL does not answer at 127.0.0.1:5432"
fi

build_release

scratch="$(mktemp -d "${TMPDIR:-/tmp}/side-by-side.XXXXXX")"
server_pid=""
nginx_pid=""
pg_db=""
# stop PID: SIGTERM and wait (both servers finish in-flight requests and exit).
stop() { kill -TERM "$1" 2>/dev/null || true; wait "$1" 2>/dev/null || true; }
cleanup() {
  [[ -z "$server_pid" ]] || stop "$server_pid"
  [[ -z "$nginx_pid" ]] || stop "$nginx_pid"
  [[ -z "$pg_db" ]] || "${pg[@]}" -c "DROP DATABASE IF EXISTS $pg_db WITH (FORCE)" >&2 || true
  rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A free port on 127.0.0.1 (the kernel picks it; the socket is closed again at once).
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
cores="$(nproc)"
hz="$(getconf CLK_TCK)"

if [[ "$DB" == postgres ]]; then
  pg_db="csirt_meet_bench_$$_$RANDOM"
  step "creating the scratch database $pg_db on 127.0.0.1:5432"
  "${pg[@]}" -c "CREATE DATABASE $pg_db" >&2
  db_url="postgres://postgres@127.0.0.1:5432/$pg_db"
  backend="PostgreSQL"
else
  db_url="sqlite://$scratch/bench.db"
  backend="SQLite"
fi
settings="$scratch/bench.toml"
printf '[auth]\nsetup_link = false\n' >"$settings"

step "seeding the database (examples/bench_seed.rs)"
"$seed" "$db_url" "$scratch/token" >&2
token="$(<"$scratch/token")"
[[ "$token" =~ ^[0-9a-f]{64}$ ]] || fail "the seeding program wrote no token"

# A sleep without a fork: read on a pipe that this shell holds open and nobody writes to.
exec {never}<> <(:)
nap() { read -r -t "$1" -u "$never" _ || true; }
# healthz_ok: one GET /healthz over bash's own socket (no curl fork, so polling is tight).
healthz_ok() {
  local line=""
  { exec {sock}<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null || return 1
  printf 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$port" 1>&"$sock" 2>/dev/null || true
  IFS= read -r -t 5 -u "$sock" line || true
  exec {sock}<&-
  [[ "$line" == "HTTP/1.1 200"* ]]
}
# start_server: `csirt-meet serve` on a free port (log level warn: no per-request logging);
# returns when /healthz answers 200 and sets server_pid, port, base and start_us (from
# the fork to that first 200, in microseconds).
log="$scratch/server.log"
start_server() {
  port="$(free_port)"
  base="http://127.0.0.1:$port"
  local t0="${EPOCHREALTIME/./}" deadline
  DATABASE_URL="$db_url" \
    CSIRT_MEET__SERVER__HOST=127.0.0.1 \
    CSIRT_MEET__SERVER__PORT="$port" \
    CSIRT_MEET__LOG__FILTER=warn \
    CSIRT_MEET__MAIL__FILE_DIR="$scratch/mail" \
    "$bin" --config "$settings" serve >/dev/null 2>>"$log" &
  server_pid=$!
  deadline=$((t0 + 60000000))
  until healthz_ok; do
    kill -0 "$server_pid" 2>/dev/null || { tail -n 5 "$log" >&2; fail "the server exited at start-up"; }
    ((${EPOCHREALTIME/./} < deadline)) || fail "/healthz did not answer 200 within 60 s"
    nap 0.001
  done
  start_us=$((${EPOCHREALTIME/./} - t0))
}
step "csirt-meet serve on 127.0.0.1 ($backend)"
start_server
step "first start on the fresh database: $((start_us / 1000)) ms to the first 200 on /healthz"

# The feed, fetched once: nginx serves exactly these bytes, and their gzip -9.
www="$scratch/www"
mkdir -p "$www"
app_feed="$base/feeds/$token.ics"
code="$(curl -sS -o "$www/feed.ics" -w '%{http_code}' "$app_feed")"
[[ "$code" == 200 ]] || fail "the feed answered $code, expected 200"
events="$(grep -c '^BEGIN:VEVENT' "$www/feed.ics" || true)"
((events >= 300)) || fail "the feed has $events VEVENTs, expected at least 300"
gzip -9 -k "$www/feed.ics"
feed_bytes="$(wc -c <"$www/feed.ics")"
gz_bytes="$(wc -c <"$www/feed.ics.gz")"

# nginx, Debian's binary with a configuration of its own: not a daemon, every path in the
# temporary folder, as many workers as cores, no access log, the feed as a static file.
ngx="$scratch/nginx"
mkdir -p "$ngx/tmp"
nginx_port="$(free_port)"
user_line=""
# As root, nginx would switch its workers to `nobody`; keep the current user instead.
[[ "$(id -u)" -ne 0 ]] || user_line="user $(id -un) $(id -gn);"
cat >"$ngx/nginx.conf" <<NGINX
$user_line
daemon off;
worker_processes $cores;
pid $ngx/nginx.pid;
error_log $ngx/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $ngx/tmp/body;
  proxy_temp_path $ngx/tmp/proxy;
  fastcgi_temp_path $ngx/tmp/fastcgi;
  uwsgi_temp_path $ngx/tmp/uwsgi;
  scgi_temp_path $ngx/tmp/scgi;
  sendfile on;
  tcp_nopush on;
  etag on;
  gzip off;
  gzip_static on;
  gzip_vary on;
  # Like the app, keep a keep-alive connection for the whole run (nginx's default closes
  # it after 1,000 requests).
  keepalive_requests 10000000;
  server_tokens off;
  types { }
  default_type "text/calendar; charset=utf-8";
  server {
    listen 127.0.0.1:$nginx_port;
    root $www;
    location = /feed.ics { }
  }
}
NGINX
step "nginx on 127.0.0.1 ($cores workers)"
"$nginx_bin" -p "$ngx/" -c "$ngx/nginx.conf" -e "$ngx/error.log" 2>"$ngx/stderr.log" &
nginx_pid=$!
nginx_feed="http://127.0.0.1:$nginx_port/feed.ics"
for _ in $(seq 100); do
  [[ "$(curl -s -o /dev/null -w '%{http_code}' "$nginx_feed" || true)" == 200 ]] && break
  kill -0 "$nginx_pid" 2>/dev/null || { tail -n 5 "$ngx/stderr.log" "$ngx/error.log" >&2; fail "nginx exited at start-up"; }
  sleep 0.1
done
[[ "$(curl -s -o /dev/null -w '%{http_code}' "$nginx_feed" || true)" == 200 ]] || fail "nginx does not serve the feed"
nginx_workers=()
while read -r pid; do nginx_workers+=("$pid"); done < <(ps -o pid= --ppid "$nginx_pid")
((${#nginx_workers[@]} == cores)) || fail "nginx runs ${#nginx_workers[@]} workers, expected $cores"

# The runs, in order. Each is run against the app, then against nginx, with the same
# headers (If-None-Match carries each server's own ETag).
runs=(200-keepalive 304-keepalive 200-close 304-close 200-gzip 304-gzip)
declare -A url=([app]="$app_feed" [nginx]="$nginx_feed") etag expect_bytes supported
header() { sed -n "s/^$1: *//Ip" "$2" | tr -d '\r' | head -n 1; }

# request_headers RUN SIDE: sets hdr to the request headers of that run.
request_headers() {
  local run="$1" side="$2"
  hdr=()
  [[ "$run" != *-gzip ]] || hdr+=(-H 'Accept-Encoding: gzip')
  [[ "$run" != 304-* ]] || hdr+=(-H "If-None-Match: ${etag[$side,${run#304-}]}")
  [[ "$run" != *-close ]] || hdr+=(-H 'Connection: close')
  return 0
}
# probe RUN SIDE: fetches once with the run's headers; checks the answer and records its
# exact size (status line, headers and body as received) for the byte count under load.
probe() {
  local run="$1" side="$2" f="$scratch/$1.$2" code header_bytes body_bytes want="${1%%-*}"
  request_headers "$run" "$side"
  read -r code header_bytes body_bytes < <(curl -sS "${hdr[@]}" -D "$f.headers" -o "$f.body" \
    -w '%{http_code} %{size_header} %{size_download}\n' "${url[$side]}")
  local encoding vary tag
  encoding="$(header content-encoding "$f.headers")"
  vary="$(header vary "$f.headers")"
  tag="$(header etag "$f.headers")"
  if [[ "$run" == *-gzip && "$side" == app && "$run" == 200-* &&
    "$code" == 200 && "$encoding" != gzip ]]; then
    supported[app]=0 # no gzip yet: the app's gzip runs are reported as UNSUPPORTED
    return 0
  fi
  [[ "$code" == "$want" ]] || fail "$run ($side): the feed answered $code, expected $want"
  if [[ "$want" == 200 ]]; then
    [[ "$tag" =~ ^\"[^\"]+\"$ ]] || fail "$run ($side): no strong ETag (got '$tag')"
    if [[ "$run" == *-gzip ]]; then
      [[ "$encoding" == gzip ]] || fail "$run ($side): no Content-Encoding: gzip"
      gzip -dc "$f.body" | cmp -s - "$www/feed.ics" || fail "$run ($side): the gzip body is not the feed"
      [[ "$vary" =~ [Aa]ccept-[Ee]ncoding ]] || fail "$run ($side): no Vary: Accept-Encoding on the gzip answer"
      [[ "$tag" != "${etag[$side,keepalive]}" ]] || fail "$run ($side): the gzip body has the same ETag as the plain one"
      etag[$side,gzip]="$tag"
    else
      [[ -z "$encoding" ]] || fail "$run ($side): Content-Encoding '$encoding' without Accept-Encoding"
      cmp -s "$f.body" "$www/feed.ics" || fail "$run ($side): the body is not the feed fetched first"
      [[ -z "${etag[$side,keepalive]:-}" || "$tag" == "${etag[$side,keepalive]}" ]] ||
        fail "$run ($side): the ETag changed between fetches"
      etag[$side,keepalive]="$tag"
      etag[$side,close]="$tag"
    fi
  else
    ((body_bytes == 0)) || fail "$run ($side): the 304 answer has a body"
  fi
  expect_bytes[$run,$side]=$((header_bytes + body_bytes))
}
step "checking both servers' answers"
supported[app]=1
supported[nginx]=1
for side in app nginx; do
  for run in "${runs[@]}"; do
    [[ "$run" == 304-gzip && "${supported[$side]}" == 0 ]] || probe "$run" "$side"
  done
done
[[ "${supported[app]}" == 1 ]] || step "the app answers Accept-Encoding: gzip without compressing: its gzip runs are UNSUPPORTED"

write_wrk_stats "$scratch/stats.lua"

# cpu_ticks SIDE: utime + stime of the app, or summed over nginx's workers.
cpu_ticks() {
  if [[ "$1" == app ]]; then
    awk '{ print $14 + $15 }' "/proc/$server_pid/stat"
  else
    local p
    for p in "${nginx_workers[@]}"; do cat "/proc/$p/stat"; done | awk '{ t += $14 + $15 } END { print t }'
  fi
}
proc_kb() { sed -n "s/^$1:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$server_pid/status"; }

results="$scratch/results.txt"
: >"$results"
load_before="$(cut -d ' ' -f 1-3 /proc/loadavg)"
idle_rss_kb="$(proc_kb VmRSS)"
# measure RUN SIDE: one wrk run; fails on errors or answers of the wrong size.
measure() {
  local run="$1" side="$2" out="$scratch/$1.$2.wrk" c0 c1 stats
  if [[ "${supported[$side]}" == 0 && "$run" == *-gzip ]]; then
    echo "$run $side UNSUPPORTED" >>"$results"
    return 0
  fi
  request_headers "$run" "$side"
  step "wrk $run against $side: ${DURATION}s, $CONNECTIONS connections, $THREADS threads"
  c0="$(cpu_ticks "$side")"
  wrk -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" --timeout 10s --latency \
    -s "$scratch/stats.lua" "${hdr[@]}" "${url[$side]}" >"$out" 2>&1 || { sed "s|$token|<token>|g" "$out" >&2; fail "$run ($side): wrk failed"; }
  c1="$(cpu_ticks "$side")"
  kill -0 "$server_pid" 2>/dev/null || fail "$run: the app died"
  kill -0 "$nginx_pid" 2>/dev/null || fail "$run: nginx died"
  stats="$(grep '^WRKSTATS' "$out")" || fail "$run ($side): no statistics from wrk's done()"
  local requests bytes duration_us connect rd wr status timeout p50_us p99_us
  read -r requests bytes duration_us connect rd wr status timeout p50_us p99_us \
    < <(sed 's/^WRKSTATS //; s/[a-z0-9_]*=//g' <<<"$stats")
  ((requests > 0)) || fail "$run ($side): no request completed"
  ((status == 0)) || fail "$run ($side): $status answers were not 2xx or 3xx"
  ((rd == 0 && wr == 0 && timeout == 0)) || fail "$run ($side): socket errors: read $rd, write $wr, timeout $timeout"
  [[ "$run" == *-close ]] || ((connect == 0)) || fail "$run ($side): $connect connect errors on keep-alive connections"
  # Every completed answer has exactly the probed size (fixed-width dates); at most one
  # unfinished answer per connection may come on top.
  local size="${expect_bytes[$run,$side]}"
  ((bytes >= requests * size && bytes < (requests + CONNECTIONS) * size)) ||
    fail "$run ($side): $bytes bytes for $requests answers; expected $size bytes per ${run%%-*} answer"
  echo "$run $side $requests $duration_us $p50_us $p99_us $status $connect $((c1 - c0))" >>"$results"
}
for run in "${runs[@]}"; do
  measure "$run" app
  measure "$run" nginx
done

step "checking the feed again after the runs"
probe 200-keepalive app
peak_rss_kb="$(proc_kb VmHWM)"
stop "$nginx_pid"
nginx_pid=""
if grep -q ' WARN \| ERROR ' "$log"; then
  echo "the server logged warnings or errors (last lines):" >&2
  grep ' WARN \| ERROR ' "$log" | tail -n 5 >&2
fi

# Cold start: the same database, a new process, from the fork to the first 200 on /healthz.
stop "$server_pid"
server_pid=""
cold="$scratch/cold.txt"
: >"$cold"
for i in $(seq "$COLD_STARTS"); do
  start_server
  step "cold start $i: $((start_us / 1000)) ms to the first 200 on /healthz"
  echo "$start_us" >>"$cold"
  stop "$server_pid"
  server_pid=""
done

awk -v conns="$CONNECTIONS" -v threads="$THREADS" -v dur="$DURATION" -v events="$events" \
  -v body="$feed_bytes" -v gz="$gz_bytes" -v idle="$idle_rss_kb" -v peak="$peak_rss_kb" \
  -v loadavg="$load_before" -v cores="$cores" -v backend="$backend" -v hz="$hz" '
function rps(i) { return req[i] / (dur_us[i] / 1e6) }
BEGIN {
  printf "\nside by side: one attendee'"'"'s feed (%d VEVENTs, %.0f KiB; gzip -9 %.0f KiB), 300 sessions, 1,000 attendees, %s\n", events, body / 1024, gz / 1024, backend
  printf "app: csirt-meet serve (release); nginx: the same bytes as a static file (sendfile, etag, gzip_static), %d workers\n", cores
  printf "wrk: %d connections, %d threads, %d s per run, app and nginx alternating; %d cores, load average before: %s\n\n", conns, threads, dur, cores, loadavg
  printf "  %-14s %-6s %11s %9s %9s %7s %9s %11s\n", "run", "server", "requests/s", "p50", "p99", "errors", "conn.err", "CPU/answer"
}
$3 == "UNSUPPORTED" {
  printf "  %-14s %-6s UNSUPPORTED (no Content-Encoding: gzip)\n", $1, $2
  unsupported[$1] = 1
  order[++n] = $1
  next
}
{
  req[$1, $2] = $3; dur_us[$1, $2] = $4; p99[$1, $2] = $6 / 1000; cpu[$1, $2] = $9 * 1000 / hz / $3
  printf "  %-14s %-6s %11.0f %7.2fms %7.2fms %7d %9d %9.3fms\n", $1, $2, $3 / ($4 / 1e6), $5 / 1000, $6 / 1000, $7, $8, $9 * 1000 / hz / $3
  if ($2 == "app") order[++n] = $1
}
END {
  printf "\n  CPU/answer: the server'"'"'s CPU time (utime + stime; nginx: summed over its workers) over the run, per completed answer\n\n"
  for (i = 1; i <= n; i++) {
    r = order[i]
    target = (r ~ /^304/) ? 80 : 50
    if (r in unsupported)
      printf "RATIO run=%s app_rps=UNSUPPORTED nginx_rps=%.1f ratio=UNSUPPORTED target=%d%%\n", r, rps(r SUBSEP "nginx"), target
    else
      printf "RATIO run=%s app_rps=%.1f nginx_rps=%.1f ratio=%.1f%% target=%d%% app_p99_ms=%.2f app_cpu_ms=%.3f\n", r, rps(r SUBSEP "app"), rps(r SUBSEP "nginx"), 100 * rps(r SUBSEP "app") / rps(r SUBSEP "nginx"), target, p99[r, "app"], cpu[r, "app"]
  }
  printf "RESULT peak_rss_mib=%.1f idle_rss_mib=%.1f target_mib=64\n", peak / 1024, idle / 1024
}' "$results"
sort -n "$cold" | awk '{ t[NR] = $1 } END {
  median = (NR % 2) ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
  printf "RESULT cold_start_ms_min=%.1f cold_start_ms_median=%.1f starts=%d target_ms=500\n", t[1] / 1000, median / 1000, NR
}'

# The pages and the outbox have scripts of their own; their figures are passed through.
# pass_through SCRIPT [NAME=VALUE...]: runs bench/SCRIPT with this run's settings.
pass_through() {
  local name="$1" out="$scratch/$1.out"
  shift
  step "bench/$name"
  env DB="$DB" DURATION="$DURATION" CONNECTIONS="$CONNECTIONS" THREADS="$THREADS" "$@" bash "bench/$name" >"$out" ||
    { cat "$out" >&2; fail "bench/$name failed"; }
  grep -E '^(RATIO|RESULT) ' "$out" || fail "bench/$name printed no RATIO or RESULT line"
}
if [[ -f bench/page-load.sh ]]; then
  # page-load.sh takes PostgreSQL from DATABASE_URL (it makes its own scratch database).
  if [[ "$DB" == postgres ]]; then
    pass_through page-load.sh DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres
  else
    pass_through page-load.sh
  fi
else
  echo "PAGES skipped: bench/page-load.sh does not exist"
fi
if [[ "$OUTBOX" == 1 ]]; then
  pass_through outbox-drain.sh N="$OUTBOX_N" WORKER=send-mail QUICKACK=0
fi
