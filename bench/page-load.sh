#!/usr/bin/env bash
# Benchmark (not a test) of the signed-in HTML pages against the physical limit: the agenda
# of one day (100 sessions of the seed's 300), a session's page and `/me`, each read by a
# signed-in approved attendee under `wrk`, and in the same run the very same HTML bytes
# served as a static file by Debian's nginx (sendfile, etag on). Prints per page the
# requests per second, p50/p99 latency, the server's CPU time per answer and the ratio to
# nginx, then the app's peak RSS.
#
#   bash bench/page-load.sh                          # 3 pages × 2 servers, 10 s runs, 64 connections
#   DURATION=5 bash bench/page-load.sh               # quicker
#   PAGES="agenda-day me" bash bench/page-load.sh    # some pages only
#   DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres bash bench/page-load.sh
#
# With DATABASE_URL (PostgreSQL only) the script creates a scratch database next to the
# one named, seeds it and drops it afterwards; the named database is left alone.
#
# The output lines `RESULT …`, `RATIO …` and `PEAK …` are stable (bench/README.md,
# "page-load.sh"); bench/side-by-side.sh reads them. Only loopback traffic.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

DURATION="${DURATION:-10}"
CONNECTIONS="${CONNECTIONS:-64}"
THREADS="${THREADS:-2}"
PAGES="${PAGES:-agenda-day session me}"
for var in DURATION CONNECTIONS THREADS; do
  if ! [[ "${!var}" =~ ^[1-9][0-9]*$ ]]; then
    echo "page-load: $var must be a positive integer, not '${!var}'" >&2
    exit 2
  fi
done
for p in $PAGES; do
  case "$p" in agenda-day | agenda-organizer | session | me) ;; *)
    echo "page-load: unknown page '$p' (agenda-day, agenda-organizer, session, me)" >&2
    exit 2
    ;;
  esac
done
pg_admin_url="${DATABASE_URL:-}"
if [[ -n "$pg_admin_url" && "$pg_admin_url" != postgres://* && "$pg_admin_url" != postgresql://* ]]; then
  echo "page-load: DATABASE_URL must be a postgres:// URL (SQLite is the default)" >&2
  exit 2
fi

BENCH=page-load
# shellcheck source=bench/lib.sh
source "$root/bench/lib.sh"
scrub_env
build_release

command -v curl >/dev/null || fail "curl is missing"
install_debian wrk "$(command -v wrk || echo /usr/bin/wrk)"
nginx_bin=/usr/sbin/nginx
install_debian nginx "$nginx_bin"

scratch="$(mktemp -d "${TMPDIR:-/tmp}/page-load.XXXXXX")"
server_pid="" nginx_pid="" scratch_db=""
psql_admin() { psql -X -q -v ON_ERROR_STOP=1 "$pg_admin_url" "$@"; }
cleanup() {
  for pid in "$server_pid" "$nginx_pid"; do
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
      kill -TERM "$pid" 2>/dev/null || true
      wait "$pid" 2>/dev/null || true
    fi
  done
  if [[ -n "$scratch_db" ]]; then
    psql_admin -c "DROP DATABASE IF EXISTS $scratch_db" >/dev/null 2>&1 || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if [[ -n "$pg_admin_url" ]]; then
  command -v psql >/dev/null || fail "psql is missing (Debian package postgresql-client)"
  scratch_db="page_load_$$_$RANDOM"
  psql_admin -c "CREATE DATABASE $scratch_db" >/dev/null || fail "could not create the scratch database"
  # The same server and credentials, another database: replace the path of the URL.
  db_url="$(sed -E "s#^(postgres(ql)?://[^/]+)(/[^?]*)?#\1/$scratch_db#" <<<"$pg_admin_url")"
  backend=PostgreSQL
else
  db_url="sqlite://$scratch/bench.db"
  backend=SQLite
fi
settings="$scratch/bench.toml"
printf '[auth]\nsetup_link = false\n' >"$settings"
mkdir "$scratch/seed"

step "seeding a $backend database (examples/bench_seed.rs)"
"$seed" "$db_url" "$scratch/feed-token" "$scratch/seed" >&2
value() { tr -d '\n' <"$scratch/seed/$1"; }
slug="$(value slug)" day="$(value day)" session_id="$(value session)" attendee_name="$(value attendee.name)"
attendee_cookie="session=$(value attendee.cookie)"
organizer_cookie="session=$(value organizer.cookie)"
[[ "$attendee_cookie" =~ ^session=[0-9a-f]{64}$ ]] || fail "the seeding program wrote no attendee session"

step "csirt-meet serve on 127.0.0.1 (log level warn)"
start_app "$db_url"

# Each page: its address, the cookie it is read with, and a text its HTML must hold.
declare -A path cookie expect
path[agenda-day]="/meetings/$slug/agenda?day=$day" cookie[agenda-day]="$attendee_cookie"
expect[agenda-day]="Remove<span class=\"visually-hidden\">"
path[agenda-organizer]="/meetings/$slug/agenda?day=$day" cookie[agenda-organizer]="$organizer_cookie"
expect[agenda-organizer]="Organizer console"
path[session]="/meetings/$slug/sessions/$session_id" cookie[session]="$attendee_cookie"
expect[session]="This session is in your agenda."
path[me]="/me" cookie[me]="$attendee_cookie" expect[me]="$attendee_name"

# The exact bytes of each page, fetched once (this first fetch also fills any cache), then
# checked: 200, HTML, the expected text, the attendee's name, and the same bytes again.
www="$scratch/www"
mkdir "$www"
declare -A size_app
for p in $PAGES; do
  step "fetching $p (${path[$p]})"
  for n in 1 2; do
    read -r code header_bytes body_bytes < <(curl -sS -H "Cookie: ${cookie[$p]}" -D "$scratch/$p.$n.headers" \
      -o "$scratch/$p.$n.html" -w '%{http_code} %{size_header} %{size_download}\n' "$base${path[$p]}")
    [[ "$code" == 200 ]] || fail "$p answered $code, expected 200"
  done
  grep -qi '^content-type: text/html' "$scratch/$p.1.headers" || fail "$p is not HTML"
  grep -qF -- "${expect[$p]}" "$scratch/$p.1.html" || fail "$p does not hold '${expect[$p]}'"
  cmp -s "$scratch/$p.1.html" "$scratch/$p.2.html" || fail "$p changed between two fetches"
  size_app[$p]=$((header_bytes + body_bytes))
  cp "$scratch/$p.1.html" "$www/$p.html"
done
chmod 0755 "$scratch" "$www"
chmod 0644 "$www"/*.html

# nginx as the limit: the same bytes as static files, on a free port of 127.0.0.1, in the
# foreground (no daemon), with its configuration, logs and pid in the temporary folder.
nginx_port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
cat >"$scratch/nginx.conf" <<NGINX
worker_processes auto;
pid $scratch/nginx.pid;
error_log $scratch/nginx-error.log warn;
daemon off;
events { worker_connections 1024; }
http {
  types { text/html html; }
  default_type text/html;
  charset utf-8;
  access_log off;
  sendfile on;
  tcp_nopush on;
  etag on;
  keepalive_requests 1000000;
  client_body_temp_path $scratch/nginx-tmp;
  proxy_temp_path $scratch/nginx-tmp;
  fastcgi_temp_path $scratch/nginx-tmp;
  uwsgi_temp_path $scratch/nginx-tmp;
  scgi_temp_path $scratch/nginx-tmp;
  server {
    listen 127.0.0.1:$nginx_port;
    root $www;
  }
}
NGINX
mkdir -p "$scratch/nginx-tmp"
step "nginx on 127.0.0.1:$nginx_port"
"$nginx_bin" -p "$scratch" -c "$scratch/nginx.conf" 2>>"$scratch/nginx-error.log" &
nginx_pid=$!
for _ in $(seq 100); do
  [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$nginx_port/me.html" 2>/dev/null || true)" =~ ^(200|404)$ ]] && break
  kill -0 "$nginx_pid" 2>/dev/null || { cat "$scratch/nginx-error.log" >&2; fail "nginx exited at start-up"; }
  sleep 0.1
done
declare -A size_nginx
for p in $PAGES; do
  read -r code header_bytes body_bytes < <(curl -sS -D "$scratch/$p.nginx.headers" -o "$scratch/$p.nginx.html" \
    -w '%{http_code} %{size_header} %{size_download}\n' "http://127.0.0.1:$nginx_port/$p.html")
  [[ "$code" == 200 ]] || fail "nginx answered $code for $p"
  cmp -s "$www/$p.html" "$scratch/$p.nginx.html" || fail "nginx served other bytes for $p"
  size_nginx[$p]=$((header_bytes + body_bytes))
done

write_wrk_stats "$scratch/stats.lua"

hz="$(getconf CLK_TCK)"
# CPU ticks (user + system) of a process and its live children (nginx's workers).
cpu_ticks() {
  local total=0 pid
  for pid in "$1" $(pgrep -P "$1" || true); do
    [[ -r "/proc/$pid/stat" ]] || continue
    total=$((total + $(awk '{ print $14 + $15 }' "/proc/$pid/stat")))
  done
  echo "$total"
}
proc_kb() { sed -n "s/^$2:[[:space:]]*\([0-9]*\) kB/\1/p" "/proc/$1/status"; }
idle_rss_kb="$(proc_kb "$server_pid" VmRSS)"
load_before="$(cut -d ' ' -f 1-3 /proc/loadavg)"

results="$scratch/results.txt"
: >"$results"
# run PAGE SERVER PID URL SIZE [curl-like wrk headers…]
run() {
  local page="$1" server="$2" pid="$3" url="$4" size="$5"
  shift 5
  step "wrk $page on $server: ${DURATION}s, $CONNECTIONS connections, $THREADS threads"
  local out="$scratch/$page.$server.wrk" c0 c1
  c0="$(cpu_ticks "$pid")"
  wrk -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" --timeout 10s --latency \
    -s "$scratch/stats.lua" "$@" "$url" >"$out" 2>&1 || { cat "$out" >&2; fail "$page/$server: wrk failed"; }
  c1="$(cpu_ticks "$pid")"
  kill -0 "$pid" 2>/dev/null || fail "$page/$server: the server died"
  local requests bytes duration_us connect rd wr status timeout p50_us p99_us
  read -r requests bytes duration_us connect rd wr status timeout p50_us p99_us \
    < <(grep '^WRKSTATS' "$out" | sed 's/^WRKSTATS //; s/[a-z0-9_]*=//g') || fail "$page/$server: no statistics from wrk"
  ((requests > 0)) || fail "$page/$server: no request completed"
  ((status == 0)) || fail "$page/$server: $status answers were not 2xx or 3xx"
  ((connect == 0 && rd == 0 && wr == 0 && timeout == 0)) ||
    fail "$page/$server: socket errors: connect $connect, read $rd, write $wr, timeout $timeout"
  # Every answer has the probed size (a fixed-width Date header): a sign-in page or an
  # error page instead of the page would not.
  ((bytes >= requests * size && bytes < (requests + CONNECTIONS) * size)) ||
    fail "$page/$server: $bytes bytes for $requests answers; expected $size bytes per answer"
  printf '%s %s %s %s %s %s %s\n' "$page" "$server" "$requests" "$duration_us" "$p50_us" "$p99_us" \
    "$((c1 - c0))" >>"$results"
}
for p in $PAGES; do
  run "$p" app "$server_pid" "$base${path[$p]}" "${size_app[$p]}" -H "Cookie: ${cookie[$p]}"
  run "$p" nginx "$nginx_pid" "http://127.0.0.1:$nginx_port/$p.html" "${size_nginx[$p]}"
done

step "checking the pages again after the runs"
for p in $PAGES; do
  curl -sS -H "Cookie: ${cookie[$p]}" -o "$scratch/$p.after.html" "$base${path[$p]}"
  cmp -s "$www/$p.html" "$scratch/$p.after.html" || fail "$p changed under load"
done
peak_rss_kb="$(proc_kb "$server_pid" VmHWM)"
if grep -q ' WARN \| ERROR ' "$log"; then
  echo "the server logged warnings or errors (last lines):" >&2
  grep ' WARN \| ERROR ' "$log" | tail -n 5 >&2
fi
kill -TERM "$server_pid"
wait "$server_pid" || fail "the server exited with an error after SIGTERM"
server_pid=""

sizes=""
for p in $PAGES; do sizes="$sizes $p=$(wc -c <"$www/$p.html")"; done
awk -v conns="$CONNECTIONS" -v threads="$THREADS" -v dur="$DURATION" -v hz="$hz" -v backend="$backend" \
  -v idle="$idle_rss_kb" -v peak="$peak_rss_kb" -v loadavg="$load_before" -v cores="$(nproc)" -v sizes="$sizes" '
BEGIN {
  printf "\npage load: signed-in pages of a meeting with 300 sessions over 3 days (100 a day), 1,000 approved attendees, %s\n", backend
  printf "HTML bytes:%s\n", sizes
  printf "wrk: %d connections, %d threads, %d s per run; %d cores, load average before: %s\n\n", conns, threads, dur, cores, loadavg
  printf "  %-17s %-6s %10s %9s %9s %8s %8s\n", "page", "server", "requests/s", "p50", "p99", "CPU", "CPU/req"
}
{
  rps = $3 / ($4 / 1e6); cpu_ms = $7 * 1000 / hz
  printf "  %-17s %-6s %10.0f %7.2fms %7.2fms %7.0f%% %6.3fms\n", $1, $2, rps, $5 / 1000, $6 / 1000, cpu_ms / ($4 / 1e3) * 100, cpu_ms / $3
  lines[NR] = sprintf("RESULT page=%s server=%s rps=%.1f p50_ms=%.2f p99_ms=%.2f cpu_ms_per_req=%.3f", $1, $2, rps, $5 / 1000, $6 / 1000, cpu_ms / $3)
  if ($2 == "app") { app[$1] = rps; order[++n] = $1 } else { ngx[$1] = rps }
}
END {
  printf "\n  app RSS idle before the runs %.1f MiB, peak over all runs %.1f MiB (VmHWM)\n", idle / 1024, peak / 1024
  printf "  CPU is the server'"'"'s CPU time over the run (200%% = both cores; nginx: its workers), CPU/req that time per answer\n"
  for (i = 1; i <= NR; i++) print lines[i]
  for (i = 1; i <= n; i++) {
    p = order[i]
    printf "RATIO page=%s app_rps=%.1f nginx_rps=%.1f ratio=%.3f\n", p, app[p], ngx[p], (ngx[p] > 0 ? app[p] / ngx[p] : 0)
  }
  printf "PEAK server=app backend=%s idle_rss_mib=%.1f peak_rss_mib=%.1f\n", backend, idle / 1024, peak / 1024
}' "$results"
