#!/usr/bin/env bash
# Several instances (not a CI test): two `csirt-meet serve` on one PostgreSQL database with
# Debian's nginx in front, run with the deployment's own configuration
# (deploy/nginx/csirt-meet.conf, TLS included; only ports and paths are replaced). Under
# load it checks, one PASS/FAIL line each:
#   1. a session made on instance A works on instance B;
#   2. both instances answer the same feed bytes and ETag;
#   3. approvals racing over both instances never pass the team's cap;
#   4. both outbox workers drain one queue into one SMTP sink: every message once;
#   5. SIGKILL of one instance under load (wrk through nginx plus a writer of committed
#      writes): no write that got its answer is lost, and nginx sends traffic to the other.
# Exits non-zero when a check fails. bench/README.md describes it.
#
#   bash bench/instances.sh
#   DURATION=20 MAILS=5000 bash bench/instances.sh
#
# Needs: cargo, psql and a PostgreSQL at 127.0.0.1:5432 (trust auth, user postgres; the
# local clusters are started as .ci/run does when it does not answer), python3, openssl;
# nginx and wrk are installed from Debian when missing. Only loopback traffic. A scratch
# database and a temporary folder are removed at the end.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

PG_ADMIN_URL="${PG_ADMIN_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
DURATION="${DURATION:-12}"       # seconds of load in check 5; the kill comes at 40 %
CONNECTIONS="${CONNECTIONS:-16}" # wrk connections through nginx in check 5
WRITERS="${WRITERS:-2}"          # writer loops in check 5
MAILS="${MAILS:-2000}"           # messages queued for the two outbox workers in check 4
RACERS="${RACERS:-40}"           # pending registrations approved at once in check 3
for v in DURATION CONNECTIONS WRITERS MAILS RACERS; do
  [[ "${!v}" =~ ^[1-9][0-9]*$ ]] || { echo "instances: $v must be a positive integer" >&2; exit 2; }
done

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/csirt-meet/target}"
export CARGO_TERM_COLOR=never
bin="$CARGO_TARGET_DIR/release/csirt-meet"
seed="$CARGO_TARGET_DIR/release/examples/bench_seed"
venv="$HOME/.cache/csirt-meet/bench-venv"
helper=(python3 bench/instances.py)

step() { printf '== %s\n' "$*" >&2; }
fail() { printf 'instances: FAIL: %s\n' "$*" >&2; exit 1; }
failed=0
check() { # check NUMBER PASS|FAIL TEXT
  printf '%s check %s: %s\n' "$2" "$1" "$3"
  [[ "$2" == PASS ]] || failed=1
}

# Only the settings this script writes: nothing from the caller's environment or
# config/local.toml (every instance gets --config).
while read -r name; do unset "$name"; done < <(compgen -e | grep '^CSIRT_MEET__' || true)
unset RUST_LOG DATABASE_URL

sudo=""
[[ "$(id -u)" -eq 0 ]] || sudo="sudo"
need_debian() { # need_debian COMMAND PACKAGE
  command -v "$1" >/dev/null && return
  step "installing the Debian package '$2'"
  $sudo apt-get install -y -qq "$2" >&2 || { $sudo apt-get update -qq >&2 && $sudo apt-get install -y -qq "$2" >&2; }
  command -v "$1" >/dev/null || fail "$1 is still missing"
}
need_debian nginx nginx
need_debian wrk wrk
for tool in psql pg_isready openssl python3 curl; do
  command -v "$tool" >/dev/null || fail "$tool is missing"
done

step "cargo build --release (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
cargo build --release --locked --bin csirt-meet --example bench_seed >&2
[[ -x "$bin" && -x "$seed" ]] || fail "no binaries at $bin and $seed"

step "python venv with aiosmtpd ($venv)"
[[ -x "$venv/bin/python" ]] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import aiosmtpd' 2>/dev/null || "$venv/bin/pip" install --quiet aiosmtpd >&2

step "PostgreSQL at 127.0.0.1:5432"
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  echo "not answering; starting the local clusters" >&2
  if command -v pg_lsclusters >/dev/null; then
    pg_lsclusters --no-header | while read -r version cluster _; do
      pg_ctlcluster --skip-systemctl-redirect "$version" "$cluster" start || true
    done
  fi
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
pg_isready -q -h 127.0.0.1 -p 5432 || fail "PostgreSQL does not answer at 127.0.0.1:5432"

scratch="$(mktemp -d "${TMPDIR:-/tmp}/instances.XXXXXX")"
dbname="csirt_meet_instances_$(od -An -N6 -tx1 /dev/urandom | tr -d ' \n')"
db_url="postgres://postgres@127.0.0.1:5432/$dbname"
pids=()
cleanup() {
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  psql "$PG_ADMIN_URL" -qAt -c "DROP DATABASE IF EXISTS \"$dbname\" WITH (FORCE)" >/dev/null 2>&1 || true
  rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

sql() { psql "$db_url" -v ON_ERROR_STOP=1 -qAt "$@"; }

step "scratch database $dbname, seeded by examples/bench_seed.rs"
psql "$PG_ADMIN_URL" -v ON_ERROR_STOP=1 -qAt -c "CREATE DATABASE \"$dbname\"" >/dev/null
"$seed" "$db_url" "$scratch/feed.token" >&2
feed_token="$(<"$scratch/feed.token")"

# One settings file, the same for both instances (docs/DEPLOYMENT.md: what each instance
# needs). The public URL is nginx's https address; nginx is the trusted proxy.
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
https_port="$(free_port)"
http_port="$(free_port)"
public_url="https://127.0.0.1:$https_port"

step "SMTP sink on 127.0.0.1"
"$venv/bin/python" bench/smtp_sink.py "$scratch/sink.port" "$scratch/sink.json" &
sink_pid=$!
pids+=("$sink_pid")
for _ in $(seq 100); do [[ -s "$scratch/sink.port" ]] && break; sleep 0.1; done
[[ -s "$scratch/sink.port" ]] || fail "the SMTP sink did not start"
sink_port="$(<"$scratch/sink.port")"

settings="$scratch/csirt-meet.toml"
cat >"$settings" <<EOF
[server]
port = 0
public_url = "$public_url"

[database]
url = "$db_url"
pool_size = 8

[log]
# The port line, and one line per message sent (for check 4); no request log.
filter = "warn,csirt_meet::cli::serve=info,csirt_meet::outbox=info"

[auth]
setup_link = false
trusted_proxies = ["127.0.0.1"]

[mail]
transport = "smtp"
from = "NatCSIRT meeting <natcsirt-meeting@cert.example>"
rate_per_minute = 0
poll_interval_secs = 1
batch_size = 20

[mail.smtp]
host = "127.0.0.1"
port = $sink_port
security = "none"
EOF

step "an organizer with two-step sign-in, and $RACERS pending registrations of one team"
organizer_email="instances-organizer@cert.example"
organizer_name="Instances Organizer"
password="$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')"
totp_secret="$(python3 -c 'import base64, os; print(base64.b32encode(os.urandom(20)).decode())')"
printf '%s\n' "$password" | "$bin" --config "$settings" create-organizer \
  --email "$organizer_email" --name "$organizer_name" >/dev/null
sql -v email="$organizer_email" -v secret="$totp_secret" >/dev/null <<'SQL'
UPDATE users SET totp_secret = :'secret', totp_enabled_at = now() AT TIME ZONE 'UTC' WHERE email = :'email';
SQL
# The team of the race: its cap (cap_override from the seed) and its approved count.
read -r team_id meeting_id cap approved_before < <(sql -F ' ' <<'SQL'
SELECT t.id, m.id, coalesce(t.cap_override, m.default_cap),
       (SELECT count(*) FROM registrations r WHERE r.team_id = t.id AND r.meeting_id = m.id AND r.status = 'approved')
FROM teams t, meetings m WHERE t.short_name = 'CSIRT 000' AND m.slug = 'bench'
SQL
)
sql -v team="$team_id" -v meeting="$meeting_id" -v n="$RACERS" >"$scratch/racers.ids" <<'SQL'
WITH u AS (
  INSERT INTO users (email, name, role, password_hash, email_verified_at, created_at)
  SELECT format('racer%s@csirt000.example.org', g), format('Racer %s', g), 'member',
         '!bench-no-password', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
  FROM generate_series(1, :n) g
  RETURNING id
)
INSERT INTO registrations (meeting_id, user_id, team_id, status, role_title, dietary,
                           accessibility, consent_listed, created_at, updated_at)
SELECT :meeting, u.id, :team, 'pending', 'Incident handler', '', '', true,
       now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC'
FROM u
RETURNING id;
SQL
[[ "$(wc -l <"$scratch/racers.ids")" -eq "$RACERS" ]] || fail "could not create $RACERS pending registrations"

start_instance() { # start_instance NAME: starts it, sets port_NAME and pid_NAME
  local name="$1" log="$scratch/$1.log" port=""
  "$bin" --config "$settings" serve >/dev/null 2>"$log" &
  local pid=$!
  pids+=("$pid")
  for _ in $(seq 300); do
    port="$(sed -n 's/.*listening.* port=\([0-9][0-9]*\).*/\1/p' "$log" | head -n 1)"
    [[ -n "$port" ]] && break
    kill -0 "$pid" 2>/dev/null || { tail -n 5 "$log" >&2; fail "instance $name exited at start"; }
    sleep 0.1
  done
  [[ -n "$port" ]] || fail "instance $name did not log its port within 30 s"
  printf -v "port_$name" '%s' "$port"
  printf -v "pid_$name" '%s' "$pid"
}
step "two instances of csirt-meet serve on $dbname"
port_a="" port_b="" pid_a="" pid_b=""
start_instance a
start_instance b
addr_a="127.0.0.1:$port_a"
addr_b="127.0.0.1:$port_b"
for a in "$addr_a" "$addr_b"; do
  [[ "$(curl -s "http://$a/healthz")" == ok ]] || fail "http://$a/healthz does not answer ok"
done
echo "instance a: $addr_a (pid $pid_a), instance b: $addr_b (pid $pid_b)" >&2

step "nginx with deploy/nginx/csirt-meet.conf on 127.0.0.1:$https_port (https) and :$http_port"
ng="$scratch/nginx"
mkdir -p "$ng/tmp"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 \
  -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
  -keyout "$ng/key.pem" -out "$ng/cert.pem" 2>/dev/null
# Only ports and paths change; the [::] listeners go (loopback only).
sed -e "s#server 127\.0\.0\.1:8081 #server $addr_a #" \
    -e "s#server 127\.0\.0\.1:8082 #server $addr_b #" \
    -e "s#listen 80;#listen 127.0.0.1:$http_port;#" \
    -e "s#listen 443 ssl http2;#listen 127.0.0.1:$https_port ssl http2;#" \
    -e '/listen \[::\]/d' \
    -e "s#/var/log/nginx/csirt-meet\.access\.log#$ng/access.log#" \
    -e "s#/etc/letsencrypt/live/meet\.example\.org/fullchain\.pem#$ng/cert.pem#" \
    -e "s#/etc/letsencrypt/live/meet\.example\.org/privkey\.pem#$ng/key.pem#" \
    deploy/nginx/csirt-meet.conf >"$ng/csirt-meet.conf"
changed="$(diff deploy/nginx/csirt-meet.conf "$ng/csirt-meet.conf" | grep -c '^<' || true)"
[[ "$changed" -eq 10 ]] || fail "templating deploy/nginx/csirt-meet.conf changed $changed lines, expected 10 (did the file change?)"
user_line=""
[[ "$(id -u)" -eq 0 ]] && user_line="user root;"
cat >"$ng/nginx.conf" <<EOF
$user_line
worker_processes 1;
pid $ng/nginx.pid;
error_log $ng/error.log warn;
events { worker_connections 1024; }
http {
    client_body_temp_path $ng/tmp/body;
    proxy_temp_path $ng/tmp/proxy;
    fastcgi_temp_path $ng/tmp/fastcgi;
    uwsgi_temp_path $ng/tmp/uwsgi;
    scgi_temp_path $ng/tmp/scgi;
    include $ng/csirt-meet.conf;
}
EOF
nginx_cmd=(nginx -p "$ng" -e "$ng/error.log" -c "$ng/nginx.conf")
"${nginx_cmd[@]}" -t -q 2>&1 | grep -v 'the "user" directive' >&2 || true
"${nginx_cmd[@]}" -t -q 2>/dev/null || fail "nginx -t refuses the configuration"
"${nginx_cmd[@]}" -g 'daemon off;' &
pids+=("$!")
base="$public_url"
curl_tls=(curl -s --cacert "$ng/cert.pem")
for _ in $(seq 50); do [[ "$("${curl_tls[@]}" "$base/healthz" 2>/dev/null)" == ok ]] && break; sleep 0.1; done
[[ "$("${curl_tls[@]}" "$base/healthz")" == ok ]] || fail "$base/healthz does not answer ok through nginx"
redirect="$(curl -s -o /dev/null -w '%{http_code} %{redirect_url}' "http://127.0.0.1:$http_port/login")"
[[ "$redirect" == "301 https://127.0.0.1/login" ]] || fail "plain http did not redirect to https: $redirect"
echo "nginx: https answers /healthz through the upstream; http redirects to https" >&2

# 1. A session made on A works on B.
step "1: sign in on A, use the session on B"
session="$scratch/session.json"
printf '%s\n' "$password" | "${helper[@]}" signin "http://$addr_a" "$organizer_email" "$totp_secret" "$session" >&2
if out="$("${helper[@]}" admin-page "http://$addr_b" "$session" "$organizer_name" 2>&1)"; then
  check 1 PASS "signed in on instance A (password and TOTP), the session cookie works on instance B: $out"
else
  check 1 FAIL "the session made on A does not work on B: $out"
fi

# 2. Same feed bytes and ETag from both (under load: wrk keeps both busy meanwhile).
step "2: the feed from A, B and nginx"
feed_path="/feeds/$feed_token.ics"
wrk -t1 -c8 -d4s "https://127.0.0.1:$https_port$feed_path" >"$scratch/wrk-feed.txt" 2>&1 &
wrk_pid=$!
pids+=("$wrk_pid")
sleep 1
fetch() { # fetch URL OUT: the body in OUT, the ETag on stdout
  "${curl_tls[@]}" -D "$2.headers" -o "$2" "$1" || fail "fetching $1"
  grep -q '^HTTP/[0-9.]* 200' "$2.headers" || fail "$1 did not answer 200"
  sed -n 's/^[Ee][Tt][Aa][Gg]: *\(.*\)\r$/\1/p' "$2.headers"
}
etag_a="$(fetch "http://$addr_a$feed_path" "$scratch/feed.a")"
etag_b="$(fetch "http://$addr_b$feed_path" "$scratch/feed.b")"
etag_n="$(fetch "$base$feed_path" "$scratch/feed.n")"
not_modified="$("${curl_tls[@]}" -o /dev/null -w '%{http_code}' -H "If-None-Match: $etag_a" "http://$addr_b$feed_path")"
wait "$wrk_pid" || true
sum() { sha256sum "$1" | cut -c1-16; }
events="$(grep -c '^BEGIN:VEVENT' "$scratch/feed.a" || true)"
if [[ -n "$etag_a" && "$etag_a" == "$etag_b" && "$etag_a" == "$etag_n" ]] \
  && cmp -s "$scratch/feed.a" "$scratch/feed.b" && cmp -s "$scratch/feed.a" "$scratch/feed.n" \
  && [[ "$not_modified" == 304 ]]; then
  check 2 PASS "the feed ($(wc -c <"$scratch/feed.a") bytes, $events events, sha256 $(sum "$scratch/feed.a")…) and its ETag $etag_a are the same from A, B and nginx; B answers A's ETag with 304"
else
  check 2 FAIL "feeds differ: ETags A=$etag_a B=$etag_b nginx=$etag_n; sha256 A=$(sum "$scratch/feed.a") B=$(sum "$scratch/feed.b") nginx=$(sum "$scratch/feed.n"); If-None-Match of A on B: $not_modified"
fi

# 3. The approval race.
step "3: $RACERS approvals at once over A and B (team cap $cap, $approved_before approved)"
race_out="$("${helper[@]}" race "$session" bench "$scratch/racers.ids" "$scratch/race.json" "http://$addr_a" "http://$addr_b")"
echo "$race_out" >&2
approved_after="$(sql -c "SELECT count(*) FROM registrations WHERE team_id = $team_id AND meeting_id = $meeting_id AND status = 'approved'")"
places=$((cap - approved_before))
expected=$((approved_before + (RACERS < places ? RACERS : places)))
saw_303="$(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(sum(c.get("303", 0) for c in d.values()))' "$scratch/race.json")"
if [[ "$approved_after" -le "$cap" && "$approved_after" -eq "$expected" && "$saw_303" -eq $((approved_after - approved_before)) ]]; then
  check 3 PASS "$RACERS approvals at once, split over A and B, for $places free places: $approved_after approved of a cap of $cap (never more), one 303 per approval ($race_out)"
else
  check 3 FAIL "$approved_after approved (cap $cap, expected $expected), $saw_303 answered 303 ($race_out)"
fi

# 4. Both outbox workers drain one queue.
step "4: $MAILS messages queued; both workers send into one sink"
sql -v n="$MAILS" >/dev/null <<'SQL'
INSERT INTO outbox (recipient, subject, body_text, body_html, ical, ical_method, idempotency_key,
                    message_id, status, attempts, next_attempt_at, created_at)
SELECT format('attendee%s@csirt%s.example.org', g, lpad((g % 100)::text, 3, '0')),
       format('Bench message %s', g),
       repeat(format('Text of bench message %s, about two kilobytes in all. ', g), 36),
       repeat(format('<p>HTML of bench message %s, four kilobytes in all.</p>', g), 72),
       NULL, NULL, format('bench:instances:%s', g), format('<bench-%s-%s@cert.example>', g, md5(random()::text)),
       'pending', 0, now() AT TIME ZONE 'UTC' - interval '1 minute', now() AT TIME ZONE 'UTC'
FROM generate_series(1, :n) g;
SQL
t0="$(date +%s.%N)"
total="$(sql -c "SELECT count(*) FROM outbox")"
for _ in $(seq 1200); do
  left="$(sql -c "SELECT count(*) FROM outbox WHERE status <> 'sent'")"
  [[ "$left" -eq 0 ]] && break
  sleep 0.25
done
t1="$(date +%s.%N)"
kill -TERM "$sink_pid"
wait "$sink_pid" || fail "the SMTP sink exited with an error"
statuses="$(sql -c "SELECT string_agg(status || '=' || n, ',') FROM (SELECT status, count(*) n FROM outbox GROUP BY status ORDER BY status) s")"
read -r received distinct without < <(python3 -c '
import json, sys
s = json.load(open(sys.argv[1]))
print(s["messages"], s["distinct_message_ids"], s["without_message_id"])' "$scratch/sink.json")
split_ok=1
split="$("${helper[@]}" mail-split "$total" "$scratch/a.log" "$scratch/b.log")" || split_ok=0
rate="$(awk -v n="$MAILS" -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", n / (b - a) }')"
if [[ "$left" -eq 0 && "$received" -eq "$total" && "$distinct" -eq "$total" && "$without" -eq 0 && "$split_ok" -eq 1 ]]; then
  check 4 PASS "$total rows ($MAILS queued + the race's mail) all sent; the sink got $received messages, $distinct distinct Message-IDs, 0 duplicates; by instance $split; ~$rate messages/s"
else
  check 4 FAIL "rows: $statuses of $total; sink: $received messages, $distinct distinct, $without without Message-ID; by instance: $split"
fi

# 5. SIGKILL of A under load.
step "5: wrk ($CONNECTIONS connections) and $WRITERS writers through nginx for ${DURATION}s; SIGKILL of A at 40 %"
kill_after="$(awk -v d="$DURATION" 'BEGIN { printf "%.1f", d * 0.4 }')"
wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 10s "https://127.0.0.1:$https_port$feed_path" >"$scratch/wrk.txt" 2>&1 &
wrk_pid=$!
pids+=("$wrk_pid")
writer_pids=()
for w in $(seq "$WRITERS"); do
  "${helper[@]}" writer "$session" "$base" "$ng/cert.pem" "$DURATION" bench "$scratch/writes.$w.jsonl" &
  writer_pids+=("$!")
  pids+=("$!")
done
sleep "$kill_after"
killed_at="$(date +%s.%N)"
kill -KILL "$pid_a"
wait "$pid_a" 2>/dev/null || true
a_refuses="$(curl -s -o /dev/null -w '%{http_code}' "http://$addr_a/healthz" || true)"
wait "$wrk_pid" || fail "wrk failed: $(tail -n 3 "$scratch/wrk.txt")"
for p in "${writer_pids[@]}"; do wait "$p" || fail "a writer failed"; done
[[ "$(curl -s "http://$addr_b/healthz")" == ok ]] || fail "instance B does not answer after the kill"

# Every write that got its answer (303) is in the database; the others are reported.
sql -c "SELECT prompt FROM questions WHERE prompt LIKE 'instances write %'" | sort >"$scratch/stored.txt"
cat "$scratch"/writes.*.jsonl >"$scratch/writes.jsonl"
read -r tried done_ lost unanswered unanswered_stored < <(python3 -c '
import json, sys
rows = [json.loads(l) for l in open(sys.argv[1])]
stored = set(open(sys.argv[2]).read().split("\n"))
done = [r for r in rows if r["done"]]
other = [r for r in rows if not r["done"]]
lost = [r for r in done if r["prompt"] not in stored]
print(len(rows), len(done), len(lost), len(other), sum(1 for r in other if r["prompt"] in stored))
' "$scratch/writes.jsonl" "$scratch/stored.txt")
unanswered_kinds="$(python3 -c '
import collections, json, sys
c = collections.Counter(str(json.loads(l)["status"]) for l in open(sys.argv[1]) if not json.loads(l)["done"])
print(",".join(f"{k}x{v}" for k, v in sorted(c.items())) or "none")' "$scratch/writes.jsonl")"
read -r wrk_requests wrk_rps < <(awk '/requests in/ { r = $1 } /^Requests\/sec/ { s = $2 } END { print r, s }' "$scratch/wrk.txt")
wrk_non2xx="$(sed -n 's/.*Non-2xx or 3xx responses: *\([0-9]*\).*/\1/p' "$scratch/wrk.txt")"
wrk_sockerr="$(sed -n 's/.*Socket errors: *\(.*\)$/\1/p' "$scratch/wrk.txt")"
bound=$((CONNECTIONS + WRITERS))
fo_ok=1
fo="$("${helper[@]}" failover "$ng/access.log" "$killed_at" "$addr_a" "$addr_b" "$bound")" || fo_ok=0
ng_errors="$(grep -c '\[error\]' "$ng/error.log" || true)"
ng_kinds="$(grep -o 'connect() failed ([0-9]*: [^)]*)\|upstream prematurely closed[a-z ]*\|recv() failed ([0-9]*: [^)]*)\|no live upstreams' "$ng/error.log" | sort | uniq -c | awk '{ c = $1; $1 = ""; printf "%s%s x%s", sep, substr($0, 2), c; sep = "; " }')"
summary="writes: $tried tried, $done_ answered 303, $lost of those lost; $unanswered unanswered ($unanswered_kinds), $unanswered_stored of them committed anyway. wrk: $wrk_requests requests, ${wrk_rps} req/s, non-2xx/3xx ${wrk_non2xx:-0}, socket errors ${wrk_sockerr:-none}. A after the kill: /healthz $a_refuses. nginx: $fo; error log: $ng_errors errors (${ng_kinds:-none})"
if [[ "$lost" -eq 0 && "$done_" -gt 0 && "$fo_ok" -eq 1 ]]; then
  check 5 PASS "SIGKILL of A ${kill_after}s into ${DURATION}s of load: no committed write lost, nginx sent the traffic to B. $summary"
else
  check 5 FAIL "$summary"
fi

[[ "$failed" -eq 0 ]] || { echo "instances: some checks failed" >&2; exit 1; }
echo "instances: all checks passed" >&2
