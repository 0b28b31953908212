# What the benchmark scripts share (sourced, never run): messages, a clean environment, the
# release build, Debian packages, starting the app, and wrk's counters. The caller sets
# BENCH (its name, for messages) before sourcing, and `scratch` and `settings` before
# start_app.

step() { printf '== %s\n' "$*" >&2; }
fail() { printf '%s: FAIL: %s\n' "$BENCH" "$*" >&2; exit 1; }

# The run must not depend on the caller's settings: no CSIRT_MEET__* or RUST_LOG from the
# environment (RUST_LOG would win over log.filter), no DATABASE_URL, and a settings file of
# the script's own instead of config/local.toml (the --config flag of start_app).
scrub_env() {
  while read -r name; do unset "$name"; done < <(compgen -e | grep '^CSIRT_MEET__' || true)
  unset RUST_LOG DATABASE_URL
}

# build_release: the release server and the seeding program; sets bin and seed.
build_release() {
  export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/csirt-meet/target}"
  export CARGO_TERM_COLOR=never
  bin="$CARGO_TARGET_DIR/release/csirt-meet"
  seed="$CARGO_TARGET_DIR/release/examples/bench_seed"
  step "cargo build --release --bin csirt-meet --example bench_seed (CARGO_TARGET_DIR=$CARGO_TARGET_DIR)"
  cargo build --release --locked --bin csirt-meet --example bench_seed >&2
  [[ -x "$bin" ]] || fail "no binary at $bin"
  [[ -x "$seed" ]] || fail "no seeding program at $seed"
}

# install_debian PACKAGE FILE: installs the Debian package when FILE is not executable.
install_debian() {
  [[ -x "$2" ]] && return 0
  step "installing the Debian package '$1'"
  local sudo=""
  [[ "$(id -u)" -eq 0 ]] || sudo="sudo"
  $sudo apt-get install -y -qq "$1" >&2 || { $sudo apt-get update -qq >&2 && $sudo apt-get install -y -qq "$1" >&2; }
  [[ -x "$2" ]] || fail "$1 is still missing ($2)"
}

# start_app DATABASE_URL: `csirt-meet serve` on a port of its choosing (port 0: it logs the
# port, the only line logged at info level, so per-request logging costs nothing), logging
# to $scratch/server.log; returns once /healthz answers 200 and sets server_pid, port, base
# and log (that file).
start_app() {
  log="$scratch/server.log"
  DATABASE_URL="$1" \
    CSIRT_MEET__SERVER__HOST=127.0.0.1 \
    CSIRT_MEET__SERVER__PORT=0 \
    CSIRT_MEET__LOG__FILTER='warn,csirt_meet::cli::serve=info' \
    CSIRT_MEET__MAIL__FILE_DIR="$scratch/mail" \
    "$bin" --config "$settings" serve >/dev/null 2>"$log" &
  server_pid=$!
  port=""
  for _ in $(seq 300); do
    port="$(sed -n 's/.*listening.* port=\([0-9][0-9]*\).*/\1/p' "$log" | head -n 1)"
    [[ -n "$port" ]] && break
    kill -0 "$server_pid" 2>/dev/null || { tail -n 5 "$log" >&2; fail "the server exited at start-up"; }
    sleep 0.1
  done
  [[ -n "$port" ]] || fail "the server did not log its port within 30 s"
  base="http://127.0.0.1:$port"
  for _ in $(seq 100); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$base/healthz" || true)" == 200 ]] && return 0
    sleep 0.1
  done
  fail "/healthz did not answer 200"
}

# write_wrk_stats FILE: a wrk script that prints its counters on one WRKSTATS line. wrk's
# own summary counts only status >= 400; with the bytes the scripts tell a 304 from a 200.
write_wrk_stats() {
  cat >"$1" <<'LUA'
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "WRKSTATS requests=%.0f bytes=%.0f duration_us=%.0f connect=%.0f read=%.0f write=%.0f status=%.0f timeout=%.0f p50_us=%.0f p99_us=%.0f\n",
    summary.requests, summary.bytes, summary.duration, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
LUA
}
