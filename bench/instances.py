"""The HTTP clients and the reports of bench/instances.sh (Python standard library only).

    python3 bench/instances.py signin BASE EMAIL TOTP_SECRET OUT     (password on stdin)
    python3 bench/instances.py admin-page BASE SESSION NAME
    python3 bench/instances.py race SESSION SLUG IDS_FILE OUT BASE...
    python3 bench/instances.py writer SESSION BASE CAFILE SECONDS SLUG OUT
    python3 bench/instances.py mail-split TOTAL LOG...
    python3 bench/instances.py failover ACCESS_LOG KILLED_AT ADDR_KILLED ADDR_OTHER BOUND

SESSION is the JSON file `signin` writes (cookie and CSRF token, mode 0600). Every
command prints one summary line (or JSON) on standard output and exits non-zero when what
it checks does not hold. Only 127.0.0.1 is ever contacted.
"""

import base64
import hashlib
import hmac
import http.client
import json
import os
import re
import ssl
import struct
import sys
import threading
import time
import urllib.parse
from collections import Counter

CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')


class Client:
    """One keep-alive connection to BASE (http:// or https://), cookies by name."""

    def __init__(self, base, cafile=None, cookies=None):
        url = urllib.parse.urlsplit(base)
        if url.hostname != "127.0.0.1":
            sys.exit(f"only 127.0.0.1 is contacted, not {base}")
        self.https, self.port = url.scheme == "https", url.port
        self.context = ssl.create_default_context(cafile=cafile) if self.https else None
        self.cookies = dict(cookies or {})
        self.conn = None

    def _connect(self):
        if self.https:
            return http.client.HTTPSConnection("127.0.0.1", self.port, timeout=30, context=self.context)
        return http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)

    def request(self, method, path, form=None, headers=None):
        """(status, headers, body); a broken connection raises OSError and is dropped."""
        headers = dict(headers or {})
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.conn is None:
            self.conn = self._connect()
        try:
            self.conn.request(method, path, body=body, headers=headers)
            res = self.conn.getresponse()
            data = res.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            self.conn = None
            raise
        for value in res.headers.get_all("Set-Cookie") or []:
            name, _, rest = value.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        if res.getheader("Connection", "").lower() == "close":
            self.conn.close()
            self.conn = None
        return res.status, res.headers, data.decode("utf-8", "replace")


def csrf_in(page):
    found = CSRF_FIELD.search(page)
    if not found:
        sys.exit("the page has no CSRF field")
    return found.group(1)


def totp(secret_b32, at=None):
    """RFC 6238: SHA-1, 6 digits, 30-second steps (src/domain/totp.rs)."""
    key = base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8))
    step = int((time.time() if at is None else at) // 30)
    digest = hmac.new(key, struct.pack(">Q", step), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = (struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF) % 1_000_000
    return f"{code:06d}"


def load_session(path):
    with open(path) as f:
        return json.load(f)


def signin(base, email, secret, out):
    """Both sign-in steps of an organizer on one instance; writes the session's cookie and
    CSRF token to OUT (0600)."""
    password = sys.stdin.readline().rstrip("\n")
    c = Client(base)
    status, _, page = c.request("GET", "/login")
    assert status == 200, f"GET /login answered {status}"
    form = {"email": email, "password": password, "csrf_token": csrf_in(page)}
    status, headers, _ = c.request("POST", "/login", form)
    where = headers.get("Location", "")
    if status != 303 or where != "/login/second-factor":
        sys.exit(f"the password step answered {status} -> {where!r}")
    status, _, page = c.request("GET", "/login/second-factor")
    form = {"code": totp(secret), "csrf_token": csrf_in(page)}
    status, headers, _ = c.request("POST", "/login/second-factor", form)
    if status != 303:
        sys.exit(f"the second step answered {status}")
    status, _, page = c.request("GET", "/admin")
    if status != 200:
        sys.exit(f"GET /admin after signing in answered {status}")
    session = [(k, v) for k, v in c.cookies.items() if k.endswith("session")]
    if len(session) != 1:
        sys.exit(f"expected one session cookie, got {sorted(c.cookies)}")
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        json.dump({"cookie": dict(session), "csrf": csrf_in(page)}, f)
    print(f"signed in on {base}")


def admin_page(base, session_file, name):
    """The organizers' console with a session made elsewhere: 200 and the person's name."""
    s = load_session(session_file)
    status, _, page = Client(base, cookies=s["cookie"]).request("GET", "/admin")
    if status != 200 or name not in page:
        sys.exit(f"GET /admin on {base} with the session answered {status} (name shown: {name in page})")
    print(f"GET {base}/admin with that session: 200, signed in as {name}")


def race(session_file, slug, ids_file, out, bases):
    """Approves every registration of IDS_FILE at once, the requests spread over BASES
    (one thread and connection each, released together)."""
    s = load_session(session_file)
    ids = [int(line) for line in open(ids_file) if line.strip()]
    barrier = threading.Barrier(len(ids))
    results = []
    lock = threading.Lock()

    def approve(i, rid):
        base = bases[i % len(bases)]
        c = Client(base, cookies=s["cookie"])
        form = {"decision": "approve", "reason": "", "csrf_token": s["csrf"]}
        path = f"/admin/meetings/{slug}/registrations/{rid}/decision"
        barrier.wait()
        try:
            status, _, _ = c.request("POST", path, form)
        except OSError as e:
            status = f"error {e.__class__.__name__}"
        with lock:
            results.append((base, status))

    threads = [threading.Thread(target=approve, args=(i, rid)) for i, rid in enumerate(ids)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    by_base = {b: Counter(str(st) for bb, st in results if bb == b) for b in bases}
    with open(out, "w") as f:
        json.dump({b: dict(c) for b, c in by_base.items()}, f)
    print(" ".join(f"{b}:{dict(sorted(c.items()))}" for b, c in by_base.items()))


def writer(session_file, base, cafile, seconds, slug, out):
    """Committed writes through BASE for SECONDS: each adds a registration question whose
    prompt is unique. Writes one JSON line per try: the prompt, the status (or the error)
    and whether it counts as done (303, the app's answer to a saved form)."""
    s = load_session(session_file)
    c = Client(base, cafile=cafile, cookies=s["cookie"])
    tag = os.urandom(4).hex()
    end = time.monotonic() + float(seconds)
    n = 0
    with open(out, "w") as f:
        while time.monotonic() < end:
            n += 1
            prompt = f"instances write {tag}-{n}"
            form = {
                "prompt": prompt,
                "hint": "",
                "kind": "short_text",
                "choices": "",
                "position": str(n % 1000),
                "csrf_token": s["csrf"],
            }
            try:
                status, _, _ = c.request("POST", f"/admin/meetings/{slug}/questions", form)
            except OSError as e:
                status = f"error {e.__class__.__name__}"
            f.write(json.dumps({"at": time.time(), "prompt": prompt, "status": status, "done": status == 303}) + "\n")
            f.flush()


def mail_split(total, logs):
    """Which instance sent which outbox row ('mail sent outbox_id=N' at info level): every
    row once in all logs together, and how many each sent."""
    seen = Counter()
    per_log = []
    for path in logs:
        ids = [int(m) for m in re.findall(r"mail sent.*?outbox_id=(\d+)", open(path, errors="replace").read())]
        per_log.append(len(ids))
        seen.update(ids)
    twice = sum(1 for _, n in seen.items() if n > 1)
    print(json.dumps({"per_instance": per_log, "distinct_rows": len(seen), "sent_twice": twice}))
    if twice or len(seen) != int(total):
        sys.exit(1)


LOG_LINE = re.compile(
    r'\[(?P<time>[^\]]+)\] "(?P<method>\S+) (?P<path>\S+)" (?P<status>\d+) \S+ \S+ '
    r'upstream="(?P<upstream>[^"]*)" upstream_status="(?P<ustatus>[^"]*)"'
)


def failover(access_log, killed_at, killed, other, bound):
    """From nginx's access log (deploy/nginx/csirt-meet.conf's format): after the kill, who
    answered, how many requests nginx retried on the other instance, and the errors clients
    saw while nginx noticed."""
    from datetime import datetime

    killed_at = float(killed_at)
    before = after = retried = to_killed_only = 0
    errors = Counter()
    by_other = 0
    last_try_killed = None
    for line in open(access_log, errors="replace"):
        m = LOG_LINE.search(line)
        if not m:
            continue
        at = datetime.fromisoformat(m["time"]).timestamp()
        # Second resolution: a line of the kill's second counts as after it.
        if at + 1 <= killed_at:
            before += 1
            continue
        after += 1
        tried = [u.strip() for u in m["upstream"].split(",")]
        if killed in tried:
            last_try_killed = at
            if len(tried) > 1:
                retried += 1
            elif m["status"].startswith(("2", "3")):
                to_killed_only += 1
        if tried[-1] == other and m["status"].startswith(("2", "3")):
            by_other += 1
        if int(m["status"]) >= 500:
            errors[f'{m["method"]} {m["status"]}'] += 1
    report = {
        "requests_before_kill": before,
        "requests_from_kill": after,
        "answered_by_other": by_other,
        "retried_on_other": retried,
        # The log has whole seconds: these were answered by the killed instance in the
        # second of the kill, before it (a dead instance answers nothing).
        "answered_by_killed_in_kill_second": to_killed_only,
        "client_errors": dict(errors),
        "last_try_of_killed_s_after_kill": None if last_try_killed is None else round(last_try_killed - killed_at, 1),
    }
    print(json.dumps(report))
    if by_other == 0 or sum(errors.values()) > int(bound):
        sys.exit(1)


def main():
    cmd, args = sys.argv[1], sys.argv[2:]
    if cmd == "signin":
        signin(*args)
    elif cmd == "admin-page":
        admin_page(*args)
    elif cmd == "race":
        race(args[0], args[1], args[2], args[3], args[4:])
    elif cmd == "writer":
        writer(*args)
    elif cmd == "mail-split":
        mail_split(args[0], args[1:])
    elif cmd == "failover":
        failover(*args)
    else:
        sys.exit(f"unknown command {cmd}")


if __name__ == "__main__":
    main()
