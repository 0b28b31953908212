#!/usr/bin/env bash
# Benchmark (not a test) of the mail outbox: queue N messages (default 10,000) in a fresh
# SQLite database, drain them with `csirt-meet send-mail` into a local SMTP sink that keeps
# what it receives, and report messages per second, the worker's peak memory and CPU, and
# the sink's CPU.
#
#   bash bench/outbox-drain.sh                # N=10000, Postfix's smtp-sink
#   N=1000 bash bench/outbox-drain.sh         # quicker
#   WORKER=serve bash bench/outbox-drain.sh   # the worker inside `serve` instead
#   SINK=python bash bench/outbox-drain.sh    # the aiosmtpd sink (bench/smtp_sink.py)
#   CONNECTIONS=8 bash bench/outbox-drain.sh  # mail.smtp.pool_size (default 4)
#   BIN=/path/to/csirt-meet bash bench/outbox-drain.sh  # a prebuilt binary, no cargo build
#   SINK=python QUICKACK=1 bash bench/outbox-drain.sh   # diagnostic, see bench/README.md
#
# Needs: cargo, python3, /usr/bin/time (the Debian package `time`, installed if missing)
# and, for SINK=smtp-sink, Postfix's `smtp-sink` (the Debian package `postfix`; see the
# message below when it is missing), or for SINK=python a venv with aiosmtpd under
# ~/.cache/csirt-meet/bench-venv (made here). Both sinks are ordinary Linux TCP servers:
# they delay their ACKs as a real MTA does. Only loopback traffic: the sink listens on
# 127.0.0.1. Everything else lives in a temporary folder.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

N="${N:-10000}"
# Which process runs the outbox worker: `send-mail` (the one-shot command, the default) or
# `serve` (the background worker of the web server).
WORKER="${WORKER:-send-mail}"
# The SMTP sink: `smtp-sink` (Postfix's test server, written in C: it costs little CPU, so
# the figure is the worker's) or `python` (bench/smtp_sink.py, aiosmtpd: slower, it can
# be the limit; the RESULT line shows its CPU).
SINK="${SINK:-smtp-sink}"
if [[ "$SINK" != smtp-sink && "$SINK" != python ]]; then
  echo "outbox-drain: SINK must be smtp-sink or python, not '$SINK'" >&2
  exit 2
fi
# SMTP connections of the worker (mail.smtp.pool_size).
CONNECTIONS="${CONNECTIONS:-4}"
[[ "$CONNECTIONS" =~ ^[1-9][0-9]*$ ]] || { echo "outbox-drain: CONNECTIONS must be a positive integer" >&2; exit 2; }
# QUICKACK=1 (SINK=python only): the sink acknowledges TCP segments at once, which hides
# the ~40 ms Nagle / delayed-ACK stall a client without TCP_NODELAY pays when it writes the
# end-of-data dot on its own. A diagnostic; real servers delay ACKs.
QUICKACK="${QUICKACK:-0}"
[[ "$QUICKACK" == 0 || "$QUICKACK" == 1 ]] || { echo "outbox-drain: QUICKACK must be 0 or 1" >&2; exit 2; }
if [[ "$QUICKACK" == 1 && "$SINK" != python ]]; then
  echo "outbox-drain: QUICKACK=1 needs SINK=python" >&2
  exit 2
fi
if ! [[ "$N" =~ ^[1-9][0-9]*$ ]]; then
  echo "outbox-drain: N must be a positive integer, not '$N'" >&2
  exit 2
fi
if [[ "$WORKER" != send-mail && "$WORKER" != serve ]]; then
  echo "outbox-drain: WORKER must be send-mail or serve, not '$WORKER'" >&2
  exit 2
fi

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/csirt-meet/target}"
export CARGO_TERM_COLOR=never
venv="$HOME/.cache/csirt-meet/bench-venv"
bin="$CARGO_TARGET_DIR/release/csirt-meet"

step() { printf '== %s\n' "$*" >&2; }
fail() { printf 'outbox-drain: FAIL: %s\n' "$*" >&2; exit 1; }

# The run must not depend on the caller's settings: no CSIRT_MEET__* or RUST_LOG from the
# environment (RUST_LOG would win over log.filter), and a settings file of its own instead
# of config/local.toml (see the --config flag below).
while read -r name; do unset "$name"; done < <(compgen -e | grep '^CSIRT_MEET__' || true)
unset RUST_LOG DATABASE_URL

# BIN=path: drain with that binary instead of building this tree (to compare with a build
# of another commit in the same period).
if [[ -n "${BIN:-}" ]]; then
  bin="$BIN"
else
  step "cargo build --release (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
  cargo build --release --locked >&2
fi
[[ -x "$bin" ]] || fail "no binary at $bin"

py=python3
if [[ "$SINK" == python ]]; then
  step "python venv with aiosmtpd ($venv)"
  if [[ ! -x "$venv/bin/python" ]]; then
    python3 -m venv "$venv"
  fi
  if ! "$venv/bin/python" -c 'import aiosmtpd' 2>/dev/null; then
    "$venv/bin/pip" install --quiet aiosmtpd >&2
  fi
  py="$venv/bin/python"
else
  smtp_sink="$(command -v smtp-sink || true)"
  [[ -n "$smtp_sink" ]] || smtp_sink=/usr/sbin/smtp-sink
  if [[ ! -x "$smtp_sink" ]]; then
    # Not installed here: the package also brings a mail server that apt may configure and
    # start, which is the machine owner's choice, not a benchmark's.
    echo "outbox-drain: smtp-sink is missing. It comes with Debian's postfix package; install it" >&2
    echo "  without configuring a mail server, e.g. as root:" >&2
    echo "    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postfix" >&2
    echo "  (check that no postfix daemon runs afterwards), or run with SINK=python." >&2
    exit 2
  fi
fi

if [[ ! -x /usr/bin/time ]]; then
  step "installing the Debian package 'time' (for /usr/bin/time -v)"
  sudo=""
  [[ "$(id -u)" -eq 0 ]] || sudo="sudo"
  $sudo apt-get install -y -qq time >&2 || { $sudo apt-get update -qq >&2 && $sudo apt-get install -y -qq time >&2; }
  [[ -x /usr/bin/time ]] || fail "/usr/bin/time is still missing"
fi

scratch="$(mktemp -d "${TMPDIR:-/tmp}/outbox-drain.XXXXXX")"
sink_pid=""
time_pid=""
cleanup() {
  if [[ -n "$time_pid" ]] && kill -0 "$time_pid" 2>/dev/null; then
    # /usr/bin/time does not pass signals on: stop the server it runs
    for pid in $(ps -o pid= --ppid "$time_pid" || true); do kill -TERM "$pid" 2>/dev/null || true; done
    wait "$time_pid" 2>/dev/null || true
  fi
  if [[ -n "$sink_pid" ]] && kill -0 "$sink_pid" 2>/dev/null; then
    kill -TERM "$sink_pid" 2>/dev/null || true
    wait "$sink_pid" 2>/dev/null || true
  fi
  rm -rf "$scratch"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

db="$scratch/bench.db"
settings="$scratch/bench.toml"
: >"$settings"
# On a database without an organizer, `serve` writes a first-run setup link at start-up,
# next to the draining worker (an earlier version failed there with "database is locked").
# The benchmark is about mail: turn the link off where the setting exists
# (config/default.toml is built into the binary just built).
if grep -q '^setup_link *=' config/default.toml; then
  printf '[auth]\nsetup_link = false\n' >"$settings"
fi
export DATABASE_URL="sqlite://$db"
export CSIRT_MEET__LOG__FILTER=warn

step "csirt-meet migrate ($db)"
"$bin" --config "$settings" migrate >/dev/null

step "queueing $N messages"
"$py" - "$db" "$N" <<'PY'
import sqlite3, sys, uuid

db, n = sys.argv[1], int(sys.argv[2])

# About 2 KB of text and 4 KB of HTML, shaped like the app's invitation mails and made a
# little different per message.
TEXT = """Dear {name},

You are invited to the Annual Technical Meeting of CSIRTs with National Responsibility,
held by CERT/CC next to the FIRST conference. This invitation is personal: please do not
forward it. Register with the link below; it works once and expires in 14 days.

  {link}

Meeting days: Thursday and Friday after the FIRST conference week.
Venue: conference centre, hall C (details in your private agenda once registered).
Traffic Light Protocol: this message is TLP:AMBER+STRICT. Share it only within your team.

What to prepare:
  - a short update on your team (five minutes, no slides needed);
  - topics you would like to discuss in the breakout sessions;
  - the name of a colleague who could attend in your place if you cannot.

Draft outline of the two days (the agenda in the app is the reference):
  Day 1  09:00  Welcome and round of teams
         10:30  Coordinated vulnerability disclosure across borders
         13:30  Breakouts: national CSIRT mandates, tooling, exercises
         16:00  Reports from the breakouts
  Day 2  09:00  Incident case studies (TLP:RED, no notes, no recordings)
         11:00  Information sharing platforms: what works, what does not
         14:00  Planning next year's meeting; closing

After you register you get a private calendar feed with every session, and calendar
invitations by email that update in place when the agenda changes. If a link in this
message does not work, ask the organizers for a new one: never reply with credentials,
and never trust a message that asks for your password.

Team: {team}
Reference: {ref}

The organizers
Annual Technical Meeting of CSIRTs with National Responsibility
This message was sent because a meeting organizer invited you. If you think it reached
you by mistake, write to the organizers and we will remove your address.
"""

HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Invitation</title>
<style>body{{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.5;color:#1b1b1b;background:#ffffff;margin:0;padding:0}}
.wrap{{max-width:38rem;margin:0 auto;padding:1.5rem}}.tlp{{display:inline-block;padding:.1rem .5rem;background:#000;color:#ffc000;font-weight:700;letter-spacing:.05em}}
a.button{{display:inline-block;padding:.6rem 1.2rem;background:#0b5394;color:#fff;text-decoration:none;border-radius:.25rem}}
.muted{{color:#5f6368;font-size:.875rem}}table.facts td{{padding:.2rem .8rem .2rem 0;vertical-align:top}}</style></head>
<body><div class="wrap">
<p><span class="tlp">TLP:AMBER+STRICT</span></p>
<p>Dear {name},</p>
<p>You are invited to the <strong>Annual Technical Meeting of CSIRTs with National
Responsibility</strong>, held by CERT/CC next to the FIRST conference. This invitation is
personal: please do not forward it. Register with the button below; the link works once and
expires in 14 days.</p>
<p><a class="button" href="{link}">Register for the meeting</a></p>
<p class="muted">If the button does not work, copy this address into your browser:<br>
<a href="{link}">{link}</a></p>
<table class="facts" role="presentation">
<tr><td><strong>Meeting days</strong></td><td>Thursday and Friday after the FIRST conference week</td></tr>
<tr><td><strong>Venue</strong></td><td>Conference centre, hall C (details in your private agenda once registered)</td></tr>
<tr><td><strong>Team</strong></td><td>{team}</td></tr>
<tr><td><strong>Reference</strong></td><td><code>{ref}</code></td></tr>
</table>
<h2 style="font-size:1.1rem;margin-top:1.5rem">What to prepare</h2>
<ul>
<li>a short update on your team (five minutes, no slides needed);</li>
<li>topics you would like to discuss in the breakout sessions;</li>
<li>the name of a colleague who could attend in your place if you cannot.</li>
</ul>
<h2 style="font-size:1.1rem;margin-top:1.5rem">Draft outline of the two days</h2>
<p class="muted">The agenda in the app is the reference; times are local to the venue.</p>
<table class="facts" role="presentation">
<tr><td>Day&nbsp;1, 09:00</td><td>Welcome and round of teams</td></tr>
<tr><td>Day&nbsp;1, 10:30</td><td>Coordinated vulnerability disclosure across borders</td></tr>
<tr><td>Day&nbsp;1, 13:30</td><td>Breakouts: national CSIRT mandates, tooling, exercises</td></tr>
<tr><td>Day&nbsp;1, 16:00</td><td>Reports from the breakouts</td></tr>
<tr><td>Day&nbsp;2, 09:00</td><td>Incident case studies (<strong>TLP:RED</strong>: no notes, no recordings)</td></tr>
<tr><td>Day&nbsp;2, 11:00</td><td>Information sharing platforms: what works, what does not</td></tr>
<tr><td>Day&nbsp;2, 14:00</td><td>Planning next year&rsquo;s meeting; closing</td></tr>
</table>
<p>After you register you get a private calendar feed with every session, and calendar
invitations by email that update in place when the agenda changes.</p>
<p>If a link in this message does not work, ask the organizers for a new one. Never reply
with credentials, and never trust a message that asks for your password.</p>
<p>The organizers<br>Annual Technical Meeting of CSIRTs with National Responsibility</p>
<hr style="border:none;border-top:1px solid #dadce0;margin:1.5rem 0">
<p class="muted">This message is <span class="tlp">TLP:AMBER+STRICT</span>: share it only within
your team. It was sent because a meeting organizer invited you. If you think it reached you by
mistake, write to the organizers and we will remove your address. Please do not reply to this
automated message with sensitive information; the mailbox is not read for incident reports.</p>
</div></body></html>
"""

def row(i):
    token = uuid.uuid4().hex + uuid.uuid4().hex
    fields = dict(
        name=f"Attendee {i}",
        team=f"National CSIRT {i % 200:03d}",
        ref=f"INV-{i:06d}",
        link=f"https://meet.example.org/invite/{token}",
    )
    return (
        f"attendee{i}@csirt{i % 200:03d}.example.org",
        "Invitation: Annual Technical Meeting of CSIRTs with National Responsibility",
        TEXT.format(**fields),
        HTML.format(**fields),
        f"bench:invite:{i}",
        f"{uuid.uuid4()}@localhost",
    )

conn = sqlite3.connect(db)
with conn:  # one transaction
    conn.executemany(
        "INSERT INTO outbox (recipient, subject, body_text, body_html, ical, ical_method,"
        " idempotency_key, message_id, status, attempts, next_attempt_at, created_at)"
        " VALUES (?, ?, ?, ?, NULL, NULL, ?, ?, 'pending', 0,"
        " '2020-01-01 00:00:00', '2020-01-01 00:00:00')",
        (row(i) for i in range(1, n + 1)),
    )
count, text, html = conn.execute(
    "SELECT count(*), avg(length(body_text)), avg(length(body_html)) FROM outbox WHERE status = 'pending'"
).fetchone()
conn.close()
if count != n:
    sys.exit(f"expected {n} pending rows, found {count}")
print(f"queued {count} rows; text body {text:.0f} B, html body {html:.0f} B on average", file=sys.stderr)
PY

# Every message smtp-sink receives is appended to one dump file, each after this line.
sink_marker="=== smtp-sink message ==="
step "starting the SMTP sink ($SINK) on 127.0.0.1"
if [[ "$SINK" == python ]]; then
  QUICKACK="$QUICKACK" "$py" bench/smtp_sink.py "$scratch/sink.port" "$scratch/sink.json" &
  sink_pid=$!
  for _ in $(seq 100); do
    [[ -s "$scratch/sink.port" ]] && break
    kill -0 "$sink_pid" 2>/dev/null || fail "the SMTP sink exited before listening"
    sleep 0.1
  done
  [[ -s "$scratch/sink.port" ]] || fail "the SMTP sink did not start listening within 10 s"
  port="$(<"$scratch/sink.port")"
else
  # A port free a moment ago (smtp-sink cannot pick one itself).
  port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  mkdir "$scratch/sink"
  # As root it must drop to another user (-u), who then needs to reach its dump folder.
  # -c prints its counters, -D dumps each message.
  as_user=()
  if [[ "$(id -u)" -eq 0 ]]; then
    as_user=(-u nobody)
    chmod o+x "$scratch"
    chmod 0777 "$scratch/sink"
  fi
  "$smtp_sink" "${as_user[@]}" -c -h localhost -D "$scratch/sink/dump" -S "$sink_marker\n" \
    "127.0.0.1:$port" 256 >"$scratch/sink/counters" 2>"$scratch/sink/errors" &
  sink_pid=$!
  for _ in $(seq 100); do
    (: <"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    kill -0 "$sink_pid" 2>/dev/null || fail "smtp-sink exited before listening: $(cat "$scratch/sink/errors")"
    sleep 0.1
  done
  (: <"/dev/tcp/127.0.0.1/$port") 2>/dev/null || fail "smtp-sink did not start listening within 10 s"
fi

mail_env=(
  CSIRT_MEET__MAIL__TRANSPORT=smtp
  CSIRT_MEET__MAIL__SMTP__HOST=127.0.0.1
  CSIRT_MEET__MAIL__SMTP__PORT="$port"
  CSIRT_MEET__MAIL__SMTP__SECURITY=none
  CSIRT_MEET__MAIL__RATE_PER_MINUTE=0
  CSIRT_MEET__MAIL__BATCH_SIZE=200
  CSIRT_MEET__MAIL__SMTP__POOL_SIZE="$CONNECTIONS"
)
log="$scratch/worker.log"

case "$WORKER" in
send-mail)
  step "csirt-meet send-mail -> 127.0.0.1:$port"
  t0="$(date +%s.%N)"
  rc=0
  env "${mail_env[@]}" /usr/bin/time -v -o "$scratch/time.txt" \
    "$bin" --config "$settings" send-mail >/dev/null 2>"$log" || rc=$?
  t1="$(date +%s.%N)"
  if [[ "$rc" -ne 0 ]]; then
    grep -v '^ *[0-9]*: \|^ *at ' "$log" | tail -n 8 >&2 || true
    fail "send-mail exited with code $rc"
  fi
  ;;
serve)
  # The same worker, running inside `serve` (it drains at start-up). The clock stops when
  # the database shows N rows sent; then the server gets SIGTERM. Peak RSS is the whole
  # server's (one HTTP worker thread, idle).
  step "csirt-meet serve (outbox worker inside) -> 127.0.0.1:$port"
  t0="$(date +%s.%N)"
  env "${mail_env[@]}" CSIRT_MEET__SERVER__PORT=0 CSIRT_MEET__SERVER__WORKERS=1 \
    /usr/bin/time -v -o "$scratch/time.txt" \
    "$bin" --config "$settings" serve >/dev/null 2>"$log" &
  time_pid=$!
  rc=0
  "$py" - "$db" "$N" "$time_pid" <<'PY' || rc=$?
import os, signal, sqlite3, sys, time
signal.signal(signal.SIGINT, lambda *_: sys.exit(130))
db, n, pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
conn = sqlite3.connect(db, timeout=30)
deadline = time.monotonic() + 3600
while time.monotonic() < deadline:
    sent = conn.execute("SELECT count(*) FROM outbox WHERE status = 'sent'").fetchone()[0]
    if sent >= n:
        sys.exit(0)
    try:  # gone, or a zombie waiting for the shell: the server has exited
        with open(f"/proc/{pid}/stat") as f:
            exited = f.read().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        exited = True
    if exited:
        sys.exit(f"serve exited with {sent} of {n} rows sent")
    time.sleep(0.05)
sys.exit(f"timed out with {sent} of {n} rows sent")
PY
  t1="$(date +%s.%N)"
  server_pid="$(ps -o pid= --ppid "$time_pid" | tr -d ' ' || true)"
  [[ -n "$server_pid" ]] && kill -TERM "$server_pid" 2>/dev/null || true
  wait "$time_pid" || true
  time_pid=""
  if [[ "$rc" -ne 0 ]]; then
    grep -v '^ *[0-9]*: \|^ *at ' "$log" | tail -n 8 >&2 || true
    fail "the worker inside serve did not send all $N messages"
  fi
  ;;
*)
  fail "WORKER must be send-mail or serve, not '$WORKER'"
  ;;
esac
if grep -q ' WARN \| ERROR ' "$log"; then
  echo "the worker logged warnings or errors (last lines):" >&2
  grep ' WARN \| ERROR ' "$log" | tail -n 5 >&2
fi

if [[ "$SINK" == python ]]; then
  kill -TERM "$sink_pid"
  wait "$sink_pid" || fail "the SMTP sink exited with an error"
  sink_pid=""
  [[ -s "$scratch/sink.json" ]] || fail "the SMTP sink wrote no stats"
  read -r received distinct connections sink_cpu < <("$py" -c '
import json, sys
s = json.load(open(sys.argv[1]))
print(s["messages"], s["distinct_message_ids"], s["connections"], s["cpu_seconds"])
' "$scratch/sink.json")
else
  # Its CPU time (user + system, in clock ticks) before it is stopped; smtp-sink dies on
  # SIGTERM without a word.
  kill -0 "$sink_pid" 2>/dev/null || fail "smtp-sink stopped during the run: $(cat "$scratch/sink/errors")"
  sink_cpu="$(awk -v hz="$(getconf CLK_TCK)" '{ printf "%.3f", ($14 + $15) / hz }' "/proc/$sink_pid/stat")"
  kill -TERM "$sink_pid"
  wait "$sink_pid" 2>/dev/null || true
  sink_pid=""
  [[ -f "$scratch/sink/dump" ]] || fail "smtp-sink dumped no message: $(cat "$scratch/sink/errors")"
  read -r received distinct connections < <(python3 -c '
import re, sys
dump, marker, counters = sys.argv[1], sys.argv[2].encode(), sys.argv[3]
message_id = re.compile(rb"^message-id:[ \t]*(\S+)", re.IGNORECASE | re.MULTILINE)
messages, ids = 0, set()
with open(dump, "rb") as f:
    for chunk in f.read().split(marker + b"\n")[1:]:
        messages += 1
        headers = re.split(rb"\r?\n\r?\n", chunk, maxsplit=1)[0]
        found = message_id.search(headers)
        if found:
            ids.add(found.group(1))
# The counters line is rewritten in place (CR): the last "sess=" is the sessions ended.
sessions = re.findall(r"sess=(\d+)", open(counters, errors="replace").read())
print(messages, len(ids), sessions[-1] if sessions else 0)
' "$scratch/sink/dump" "$sink_marker" "$scratch/sink/counters")
fi

# Checks: the sink got exactly N messages, all different, and every row is marked sent.
read -r sent statuses < <("$py" -c '
import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
counts = dict(c.execute("SELECT status, count(*) FROM outbox GROUP BY status"))
print(counts.get("sent", 0), ",".join(f"{k}={v}" for k, v in sorted(counts.items())))
' "$db")
[[ "$received" -eq "$N" ]] || fail "the sink received $received messages, expected $N"
[[ "$distinct" -eq "$N" ]] || fail "the sink saw $distinct distinct Message-IDs, expected $N"
[[ "$sent" -eq "$N" ]] || fail "$sent rows are 'sent', expected $N (rows by status: $statuses)"

field() { sed -n "s/^[[:space:]]*$1: //p" "$scratch/time.txt"; }
rss_kb="$(field 'Maximum resident set size (kbytes)')"
user_s="$(field 'User time (seconds)')"
sys_s="$(field 'System time (seconds)')"
cpu_pct="$(field 'Percent of CPU this job got')"
[[ -n "$rss_kb" ]] || fail "no 'Maximum resident set size' in /usr/bin/time's output"

awk -v n="$N" -v t0="$t0" -v t1="$t1" -v rss="$rss_kb" -v user="$user_s" -v sys="$sys_s" \
  -v cpu="$cpu_pct" -v sink="$sink_cpu" -v conns="$connections" -v worker="$WORKER" -v qa="$QUICKACK" \
  -v sinkname="$SINK" -v pool="$CONNECTIONS" '
BEGIN {
  secs = t1 - t0
  printf "\noutbox drain: %d messages into a local SMTP sink (%s; worker: %s; SQLite, batch_size 200, pool_size %d, no rate limit)\n", n, sinkname, worker, pool
  printf "  messages          %d (all received by the sink, all rows sent)\n", n
  printf "  wall time         %.2f s\n", secs
  printf "  throughput        %.0f messages/s\n", n / secs
  who = (worker == "serve" ? "server" : "worker")
  printf "  %s peak RSS   %.1f MiB%s\n", who, rss / 1024, (worker == "serve" ? " (whole serve process)" : "")
  printf "  %s CPU        %.2f s user + %.2f s system (%s of one core)\n", who, user, sys, cpu
  printf "  sink CPU          %.2f s (%.0f %% of the wall time) over %d SMTP connection(s)%s\n", sink, 100 * sink / secs, conns, (qa == 1 ? "; QUICKACK=1 (diagnostic)" : "")
  printf "RESULT worker=%s quickack=%d n=%d seconds=%.3f msgs_per_sec=%.1f peak_rss_mib=%.1f sink=%s pool_size=%d sink_sessions=%d worker_cpu_s=%.2f sink_cpu_s=%.2f\n", worker, qa, n, secs, n / secs, rss / 1024, sinkname, pool, conns, user + sys, sink
}'
