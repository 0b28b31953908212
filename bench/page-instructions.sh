#!/usr/bin/env bash
# Benchmark (not a test): the instructions the server executes per answer of one signed-in
# page, counted by valgrind's callgrind. Unlike requests per second, the count does not
# depend on what else the machine is doing, so a before and an after can be compared on
# a busy machine. Sequential requests (curl), after a warm-up that fills the caches.
#
#   bash bench/page-instructions.sh                   # the agenda of one day, 200 answers
#   PAGE=session N=100 bash bench/page-instructions.sh
#   PAGE=feed bash bench/page-instructions.sh         # the attendee's feed (200)
#   PAGE=feed-304 bash bench/page-instructions.sh     # the same with its ETag (304)
#   ALL=1 TOP=40 …                                    # std, tokio and actix too; 40 lines
#   GZIP=1 …                                          # with Accept-Encoding: gzip
#   DUMP=/tmp/cg.out …                                # keep callgrind's file (callgrind_annotate)
#   BIN=/path/to/csirt-meet bash bench/page-instructions.sh
#
# Prints `INSTRUCTIONS page=… n=… per_answer=…` and the ten functions with the most
# instructions (inclusive). Only loopback traffic.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

PAGE="${PAGE:-agenda-day}"
N="${N:-200}"
[[ "$N" =~ ^[1-9][0-9]*$ ]] || { echo "page-instructions: N must be a positive integer" >&2; exit 2; }
case "$PAGE" in agenda-day | session | me | feed | feed-304) ;; *)
  echo "page-instructions: PAGE must be agenda-day, session, me, feed or feed-304, not '$PAGE'" >&2
  exit 2
  ;;
esac

export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/csirt-meet/target}"
export CARGO_TERM_COLOR=never
fail() { printf 'page-instructions: FAIL: %s\n' "$*" >&2; exit 1; }
while read -r name; do unset "$name"; done < <(compgen -e | grep '^CSIRT_MEET__' || true)
unset RUST_LOG DATABASE_URL

command -v valgrind >/dev/null || fail "valgrind is missing (Debian package valgrind)"
if [[ -z "${BIN:-}" ]]; then
  cargo build --release --locked --bin csirt-meet --example bench_seed >&2
  BIN="$CARGO_TARGET_DIR/release/csirt-meet"
fi
seed="$(dirname "$BIN")/examples/bench_seed"
[[ -x "$BIN" && -x "$seed" ]] || fail "no binary at $BIN or no seeding program at $seed"

scratch="$(mktemp -d "${TMPDIR:-/tmp}/page-instructions.XXXXXX")"
server_pid=""
cleanup() {
  [[ -n "$server_pid" ]] && kill -TERM "$server_pid" 2>/dev/null && wait "$server_pid" 2>/dev/null
  rm -rf "$scratch"
}
trap cleanup EXIT

printf '[auth]\nsetup_link = false\n' >"$scratch/bench.toml"
mkdir "$scratch/seed"
"$seed" "sqlite://$scratch/bench.db" "$scratch/feed-token" "$scratch/seed" >/dev/null 2>&1 || fail "seeding failed"
value() { tr -d '\n' <"$scratch/seed/$1"; }
slug="$(value slug)"
case "$PAGE" in
agenda-day) path="/meetings/$slug/agenda?day=$(value day)" ;;
session) path="/meetings/$slug/sessions/$(value session)" ;;
me) path="/me" ;;
feed | feed-304) path="/feeds/$(value ../feed-token).ics" ;;
esac
want=200
cookie="Cookie: session=$(value attendee.cookie)"
port="$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

DATABASE_URL="sqlite://$scratch/bench.db" CSIRT_MEET__SERVER__HOST=127.0.0.1 CSIRT_MEET__SERVER__PORT="$port" \
  CSIRT_MEET__SERVER__WORKERS=1 CSIRT_MEET__LOG__FILTER=warn CSIRT_MEET__MAIL__FILE_DIR="$scratch/mail" \
  valgrind --tool=callgrind --callgrind-out-file="$scratch/cg.out" "$BIN" --config "$scratch/bench.toml" serve \
  >/dev/null 2>"$scratch/server.log" &
server_pid=$!
url="http://127.0.0.1:$port$path"
for _ in $(seq 600); do
  [[ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/healthz" || true)" == 200 ]] && break
  kill -0 "$server_pid" 2>/dev/null || fail "the server exited: $(tail -n 3 "$scratch/server.log")"
  sleep 0.2
done
accept="Accept-Encoding: identity"
[[ -z "${GZIP:-}" ]] || accept="Accept-Encoding: gzip"
if [[ "$PAGE" == feed-304 ]]; then
  etag="$(curl -s -o /dev/null -D - -H "$accept" "$url" | sed -n 's/^[Ee][Tt][Aa][Gg]: *\(.*\)\r$/\1/p')"
  [[ -n "$etag" ]] || fail "the feed has no ETag"
  cookie="If-None-Match: $etag" want=304
fi
for _ in 1 2 3; do
  code="$(curl -s -o /dev/null -w '%{http_code}' -H "$cookie" -H "$accept" "$url")"
  [[ "$code" == "$want" ]] || fail "$PAGE answered $code, expected $want"
done
callgrind_control -z "$server_pid" >/dev/null
for _ in $(seq "$N"); do curl -s -o /dev/null -H "$cookie" -H "$accept" "$url"; done
callgrind_control -d "$server_pid" >/dev/null
dump="$(ls "$scratch"/cg.out.* | head -n 1)"
total="$(callgrind_annotate "$dump" 2>/dev/null | sed -n 's/^ *\([0-9,]*\) .*PROGRAM TOTALS.*/\1/p' | tr -d ,)"
[[ -n "$total" ]] || fail "no instruction count in the dump"
[[ -z "${DUMP:-}" ]] || cp "$dump" "$DUMP"
echo "INSTRUCTIONS page=$PAGE n=$N total=$total per_answer=$((total / N))"
hide='std::\|tokio::\|core::\|actix_\|start_thread\|clone.S'
[[ -z "${ALL:-}" ]] || hide='^$'
callgrind_annotate --inclusive=yes "$dump" 2>/dev/null | grep '%)' | grep -v 'PROGRAM TOTALS' |
  grep -v "$hide" | head -n "${TOP:-10}" | cut -c1-160
