"""The load scenarios that are more than one request, and the sign-ins the others need; plain
Python (threads and http.client: no dependency), loopback only, bounded in time or count.

  steps.py login  BASE USER            the Cookie header of a signed-in back-office session
  steps.py token  BASE USER            a bearer token of the staff API
  steps.py submit BASE [--floor]       submissions for DURATION s on CONNECTIONS threads: two
                                       uploads then the dossier (the portal API's way), timed whole
  steps.py webhook BASE FILE [--floor] each of FILE's bank notifications once, signed, CONNECTIONS
                                       at a time; each must answer {"status": "matched"}

Each measure prints one `RESULT req/s=… p50=…ms p95=…ms p99=…ms errors=N non2xx=N` line, as the
wrk scripts do (for `submit` the unit is a whole submission). With --floor the same shape of
requests goes to bench/floor/'s `write` view (one row written per request)."""

import argparse
import csv
import http.client
import json
import os
import random
import re
import sys
import threading
import time
import uuid
from urllib.parse import urlencode, urlparse

sys.path.insert(0, os.path.dirname(__file__))
import payloads

PASSWORD = os.environ.get("XASO_DEMO_PASSWORD", "xaso-demo")


class Client:
    """One keep-alive connection (re-opened after an error), as a browser or a bank keeps."""

    def __init__(self, base: str):
        url = urlparse(base)
        self.host, self.port = url.hostname, url.port or 80
        self.connection = None

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        for attempt in (1, 2):  # a kept-alive connection the server closed: open a new one
            if self.connection is None:
                self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
            try:
                self.connection.request(method, path, body=body, headers=headers or {})
                response = self.connection.getresponse()
                return response.status, response.getheaders(), response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.connection.close()
                self.connection = None
                if attempt == 2:
                    raise
        raise AssertionError("unreachable")


def _cookies(headers) -> dict:
    jar = {}
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key.strip()] = rest.split(";", 1)[0]
    return jar


def login(base: str, username: str) -> str:
    """Sign in through the back office's login page (its CSRF token, then the form)."""
    client = Client(base)
    status, headers, body = client.request("GET", "/backoffice/login/")
    jar = _cookies(headers)
    found = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or not found:
        raise SystemExit(f"the login page answered {status} without a CSRF token")
    form = urlencode(
        {
            "csrfmiddlewaretoken": found.group(1).decode(),
            "username": username,
            "password": PASSWORD,
            "next": "/backoffice/",
        }
    )
    cookie = "; ".join(f"{k}={v}" for k, v in jar.items())
    status, headers, _ = client.request(
        "POST",
        "/backoffice/login/",
        form.encode(),
        {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie},
    )
    jar |= _cookies(headers)
    session = [k for k in jar if "session" in k.lower()]
    if status != 302 or not session:
        raise SystemExit(f"{username} could not sign in ({status}): is the demo seeded here?")
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def token(base: str, username: str) -> str:
    status, _, body = Client(base).request(
        "POST",
        "/api/v1/auth/token",
        payloads.encoded({"username": username, "password": PASSWORD}),
        {"Content-Type": "application/json"},
    )
    if status != 200:
        raise SystemExit(f"no token for {username} ({status}): {body[:200]!r}")
    return json.loads(body)["token"]


# --- measuring -------------------------------------------------------------------------------


def percentile(values: list[float], share: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def result_line(latencies: list[float], seconds: float, errors: int, non2xx: int) -> str:
    p50, p95, p99 = (percentile(latencies, share) * 1000 for share in (0.50, 0.95, 0.99))
    return (
        f"RESULT req/s={len(latencies) / seconds:.1f} p50={p50:.1f}ms p95={p95:.1f}ms "
        f"p99={p99:.1f}ms errors={errors} non2xx={non2xx}"
    )


class Tally:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors = 0  # connection errors, timeouts
        self.non2xx = 0  # answers that are not what the scenario expects
        self.first_failure = ""

    def fail(self, what: str, kind: str = "non2xx") -> None:
        with self.lock:
            setattr(self, kind, getattr(self, kind) + 1)
            self.first_failure = self.first_failure or what

    def ok(self, seconds: float) -> None:
        with self.lock:
            self.latencies.append(seconds)


def report(tally: Tally, seconds: float, *, check: bool, refused: str, checked: str, extra=""):
    """The end of a scenario run by threads: the check's verdict (exit on a failure), or the
    RESULT line and the first failure seen."""
    if check:
        if tally.first_failure:
            raise SystemExit(f"{refused}: {tally.first_failure}")
        print(checked)
        return
    print(result_line(tally.latencies, seconds, tally.errors, tally.non2xx) + extra)
    if tally.first_failure:
        print(f"first failure: {tally.first_failure}", file=sys.stderr)


def run_threads(count: int, work) -> float:
    began = time.perf_counter()
    threads = [threading.Thread(target=work, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - began


# --- a submission with two attachments --------------------------------------------------------

JPEG = payloads.jpeg()


def submit_once(client: Client, rng: random.Random, *, floor: bool) -> tuple[bool, str]:
    """Upload a PDF and a JPEG, then file the dossier naming both (an Idempotency-Key as the
    portal sends it). False with the reason when any step answers otherwise than 201."""
    tokens = []
    for name, kind, data in (
        ("giay-chung-sinh.pdf", "application/pdf", payloads.PDF),
        ("giay-chung-sinh-2.jpg", "image/jpeg", JPEG),
    ):
        body, content_type = payloads.multipart(name, kind, data)
        status, _, answer = client.request(
            "POST", "/write" if floor else "/api/v1/uploads", body, {"Content-Type": content_type}
        )
        if status != 201:
            return False, f"upload {status} {answer[:200]!r}"
        tokens.append(json.loads(answer)["id"])
    born = time.strftime("%Y-%m-%d", time.localtime(time.time() - 10 * 86400))
    body = payloads.birth(rng, "DEMO-PL", "thon-loc-tan", "66", [str(t) for t in tokens], born=born)
    status, _, answer = client.request(
        "POST",
        "/write" if floor else "/api/v1/dossiers",
        payloads.encoded(body),
        {"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())},
    )
    if status != 201:
        return False, f"dossier {status} {answer[:300]!r}"
    return True, ""


def submit(base: str, *, floor: bool, connections: int, duration: float, check: bool) -> None:
    tally, deadline = Tally(), time.perf_counter() + duration

    def work(number: int) -> None:
        client, rng = Client(base), random.Random(number * 7919 + int(time.time()))
        while time.perf_counter() < deadline:
            began = time.perf_counter()
            try:
                ok, why = submit_once(client, rng, floor=floor)
            except OSError as error:
                tally.fail(repr(error), "errors")
                continue
            if ok:
                tally.ok(time.perf_counter() - began)
            else:
                tally.fail(why)
            if check:
                return

    seconds = run_threads(1 if check else connections, work)
    report(tally, seconds, check=check, refused="the submission does not go through",
           checked="submission: 201, 201, 201")  # fmt: skip


# --- a webhook burst ----------------------------------------------------------------------------


def webhook(base: str, path: str, *, floor: bool, connections: int, check: bool) -> None:
    """Each row of `path` (account, secret, reference, amount, transaction id) once: the bank's
    notification of a transfer whose note carries the fee's reference, signed like Stripe's."""
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows = rows[-1:] if check else rows[:-1]  # the last one is the check's
    if not rows:
        raise SystemExit(f"no notification left in {path}: run bench/load/prepare.py again")
    tally, lock = Tally(), threading.Lock()
    pending = list(reversed(rows))

    def work(number: int) -> None:
        client = Client(base)
        while True:
            with lock:
                if not pending:
                    return
                row = pending.pop()
            body = json.dumps(
                {
                    "transaction_id": row["transaction_id"],
                    "account": row["account"],
                    "amount": int(row["amount"]),
                    "description": f"{row['reference']} NOP LE PHI",
                    "occurred_at": time.strftime(
                        "%Y-%m-%dT%H:%M:%S+07:00", time.gmtime(time.time() + 7 * 3600)
                    ),
                }
            ).encode()
            began = time.perf_counter()
            try:
                status, _, answer = client.request(
                    "POST",
                    "/write" if floor else "/api/v1/payments/webhooks/bank",
                    body,
                    payloads.bank_signed(row["secret"], body),
                )
            except OSError as error:
                tally.fail(repr(error), "errors")
                continue
            expected = (floor and status == 201) or (
                status == 200 and json.loads(answer).get("status") == "matched"
            )
            if expected:
                tally.ok(time.perf_counter() - began)
            else:
                tally.fail(f"{row['reference']}: {status} {answer[:200]!r}")

    seconds = run_threads(1 if check else connections, work)
    report(tally, seconds, check=check, refused="the webhook does not match",
           checked="webhook: matched", extra=f" count={len(rows)}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("what", choices=["login", "token", "submit", "webhook"])
    parser.add_argument("base")
    parser.add_argument("arg", nargs="?", default="")
    parser.add_argument("--floor", action="store_true")
    parser.add_argument("--check", action="store_true", help="one of each, must succeed")
    parser.add_argument("--connections", type=int, default=int(os.environ.get("CONNECTIONS", 16)))
    parser.add_argument("--duration", type=float, default=float(os.environ.get("DURATION", 10)))
    args = parser.parse_args()
    if args.what == "login":
        print(login(args.base, args.arg))
    elif args.what == "token":
        print(token(args.base, args.arg))
    elif args.what == "submit":
        submit(
            args.base,
            floor=args.floor,
            connections=args.connections,
            duration=args.duration,
            check=args.check,
        )
    else:
        webhook(
            args.base, args.arg, floor=args.floor, connections=args.connections, check=args.check
        )


if __name__ == "__main__":
    main()
