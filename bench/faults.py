# ruff: noqa: SIM115, RUF059, E501 (a bench script: one-off files and long probe lines)
"""Faults survived, against `scripts/shape start DIR` (with `xaso seed-demo` run in it):
a load of submissions through nginx (each with its Idempotency-Key, retried with the same key on
a 5xx, a connection error, a 429 or a 409 `idempotency_in_flight`, after the answer's Retry-After,
as a client should) and of the bank's payment notifications (the signed webhook, each with its
transaction id, sent twice as banks do and retried until a 200), and in the middle of it one fault:
  web      kill -9 of one gunicorn (master and workers) — nginx sends the rest to the other
  worker   kill -9 of the RQ worker (then started again, as systemd would)
  postgres `pg_ctl restart -m immediate` of the shape's own cluster (never the shared one)
  redis    Redis killed for 5 s, then started again
After each: every acknowledged submission and payment exists exactly once, no answer was wrong (a
final 4xx, a 201 with another key's dossier), and every message of those dossiers ends up sent.
Usage: .venv/bin/python bench/faults.py DIR [FAULT...]; the shape's ports from the same SHAPE_*
variables as `scripts/shape` (SHAPE_HTTP, SHAPE_WEB1, SHAPE_REDIS)."""

import concurrent.futures
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid

sys.path.insert(0, os.path.dirname(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "load"))
import shape_check
from payloads import bank_signed
from shape_check import call, submission, upload

DIRECTORY = sys.argv[1]
FAULTS = sys.argv[2:] or ["web", "worker", "postgres", "redis"]
RUN, PG_BIN = f"{DIRECTORY}/run", "/usr/lib/postgresql/15/bin"
HTTP, WEB1 = os.environ.get("SHAPE_HTTP", "8180"), os.environ.get("SHAPE_WEB1", "8181")
REDIS = os.environ.get("SHAPE_REDIS", "6381")
shape_check.base = f"http://127.0.0.1:{HTTP}"
COUNT, PAYMENTS = 40, 40
ATTEMPTS = 60  # at most ~1 s apart: a client gives up after about a minute
WEBHOOK_SECRET = os.environ.get("XASO_DEMO_WEBHOOK_SECRET", "xaso-demo-webhook")
DEMO_ACCOUNT = "0000000000000"  # xaso.demo.seed.DEMO_ACCOUNT_NUMBER


def pid(name):
    return int(open(f"{RUN}/{name}").read().strip())


def environment():
    out = subprocess.run(
        ["scripts/shape", "env", DIRECTORY], capture_output=True, text=True, check=True
    ).stdout
    return {**os.environ, **dict(line.split("=", 1) for line in out.splitlines())}


def fault(name):
    if name == "web":
        master = pid(f"web-{WEB1}.pid")
        subprocess.run(["pkill", "-9", "-P", str(master)], check=False)  # its workers, by parent
        os.kill(master, signal.SIGKILL)
    elif name == "worker":
        os.kill(pid("worker.pid"), signal.SIGKILL)
        time.sleep(2)
        worker = subprocess.Popen(
            [".venv/bin/xaso", "worker"],
            env=environment(),
            stdout=open(f"{DIRECTORY}/log/worker.log", "ab"),
            stderr=subprocess.STDOUT,
        )
        open(f"{RUN}/worker.pid", "w").write(str(worker.pid))
    elif name == "postgres":
        subprocess.run(
            [
                "runuser",
                "-u",
                "postgres",
                "--",
                f"{PG_BIN}/pg_ctl",
                "-D",
                f"{DIRECTORY}/pg",
                "-m",
                "immediate",
                "-w",
                "restart",
            ],
            check=True,
            capture_output=True,
        )
    elif name == "redis":
        os.kill(pid("redis.pid"), signal.SIGKILL)
        time.sleep(5)
        subprocess.run(
            [
                "redis-server",
                "--port",
                REDIS,
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--daemonize",
                "yes",
                "--pidfile",
                f"{RUN}/redis.pid",
                "--dir",
                f"{DIRECTORY}/var",
            ],
            check=True,
        )


def retryable(status, answer) -> bool:
    """What a client tries again with the same key: no answer, a 5xx, a 429, a duplicate in flight."""
    if status == 0 or status >= 500 or status == 429:
        return True
    return status == 409 and "idempotency_in_flight" in str(answer)


def one(index, stats):
    key = str(uuid.uuid4())
    body = None
    for attempt in range(ATTEMPTS):
        wait = 0.5
        try:
            if body is None:
                body = submission(upload())
            status, answer, retry_after = call_with_retry_after(
                "POST", "/api/v1/dossiers", body, {"Idempotency-Key": key}
            )
            wait = max(wait, retry_after)
        except Exception:  # connection refused/reset (or the upload failed): retryable
            status, answer = 0, None
        if status == 201:
            return key, answer["code"], attempt
        if not retryable(status, answer):
            stats["wrong"].append((status, answer))
            return key, None, attempt
        stats["retried"] += 1
        stats["statuses"][status] = stats["statuses"].get(status, 0) + 1
        time.sleep(min(wait, 2))
    return key, None, ATTEMPTS


def call_with_retry_after(method, path, body, headers):
    """shape_check.call, and the answer's Retry-After (seconds; 0 when there is none)."""
    data = json.dumps(body).encode()
    request = urllib.request.Request(
        shape_check.base + path, data=data, method=method, headers=headers
    )
    request.add_header("Content-Type", "application/json")
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"null"), 0
    except urllib.error.HTTPError as error:
        after = error.headers.get("Retry-After") or "0"
        return error.code, error.read().decode()[:300], float(after) if after.isdigit() else 0


def webhook(transaction_id: str, description: str):
    """The bank's signed notification of one credit to the demo commune's account."""
    raw = json.dumps(
        {
            "transaction_id": transaction_id,
            "account": DEMO_ACCOUNT,
            "amount": 8000,
            "description": description,
            "occurred_at": "2026-12-02T10:15:00+07:00",
        }
    ).encode()
    return call(
        "POST",
        "/api/v1/payments/webhooks/bank",
        raw=raw,
        headers=bank_signed(WEBHOOK_SECRET, raw),
    )


def pay(index, stats):
    """One credit, delivered until acknowledged, then once more (banks deliver at least once)."""
    transaction_id = f"FT{RUN_ID}{index:04d}"
    acknowledged = False
    for _attempt in range(ATTEMPTS):
        try:
            status, answer = webhook(transaction_id, f"XASO thanh toan {index}")
        except Exception:
            status, answer = 0, None
        if status == 200 and isinstance(answer, dict) and answer.get("status"):
            if acknowledged:
                if answer["status"] != "duplicate":
                    stats["wrong"].append((status, answer))
                return transaction_id
            acknowledged = True
            continue  # the bank's second delivery of the same credit
        if status and status < 500 and status != 429:
            stats["wrong"].append((status, answer))
            return None
        stats["retried"] += 1
        stats["statuses"][status] = stats["statuses"].get(status, 0) + 1
        time.sleep(0.5)
    return transaction_id if acknowledged else None


def run(name):
    stats = {"retried": 0, "wrong": [], "statuses": {}}
    acknowledged, paid = [], []
    started = time.time()
    with concurrent.futures.ThreadPoolExecutor(10) as pool:
        futures = [pool.submit(one, i, stats) for i in range(COUNT)]
        payments = [pool.submit(pay, i, stats) for i in range(PAYMENTS)]
        time.sleep(1.5)
        threading.Thread(target=fault, args=(name,)).start()
        for future in futures:
            key, code, _ = future.result()
            if code:
                acknowledged.append(code)
        paid = [transaction for transaction in (f.result() for f in payments) if transaction]
    elapsed = time.time() - started
    probe = (
        "from xaso.dossiers.models import Dossier as D; from xaso.notify.models import "
        "OutboxMessage as M; from xaso.payments.models import BankTransaction as T; import sys; "
        "codes=[a for a in sys.argv[1:] if not a.startswith('FT')]; "
        "paid=[a for a in sys.argv[1:] if a.startswith('FT')]; "
        "print(D.objects.filter(code__in=codes).count(), "
        "T.objects.filter(transaction_id__in=paid).count(), "
        "T.objects.filter(transaction_id__startswith=sys.argv[-1][:8]).count(), "
        "M.objects.filter(dossier__code__in=codes).exclude(state='sent').count(), "
        "M.objects.filter(dossier__code__in=codes, attempts__gt=1).count())"
    )
    deadline = time.time() + 90
    while True:
        out = subprocess.run(
            [
                ".venv/bin/python",
                "-c",
                "import django,os,sys;os.environ.setdefault('DJANGO_SETTINGS_MODULE','xaso.settings');"
                "django.setup();exec(sys.argv[1])",
                probe,
                *acknowledged,
                *paid,
                f"FT{RUN_ID}",
            ],
            env=environment(),
            capture_output=True,
            text=True,
        ).stdout.split()
        rows, payment_rows, run_payment_rows, unsent, resent = (int(x) for x in out[-5:])
        if unsent == 0 or time.time() > deadline:
            break
        time.sleep(3)
    ok = (
        rows == len(set(acknowledged)) == len(acknowledged) == COUNT
        and payment_rows == run_payment_rows == len(paid) == PAYMENTS
        and not stats["wrong"]
        and unsent == 0
    )
    print(
        f"{name:9} acknowledged {len(acknowledged)}/{COUNT}, rows {rows}, duplicates "
        f"{len(acknowledged) - len(set(acknowledged))}; payments acknowledged {len(paid)}/"
        f"{PAYMENTS}, rows {payment_rows} (of the run: {run_payment_rows}); retried "
        f"{stats['retried']} {dict(sorted(stats['statuses'].items()))}, wrong answers "
        f"{len(stats['wrong'])}, unsent messages {unsent} (sent after a retry: {resent}); "
        f"{elapsed:.0f} s: {'OK' if ok else 'FAILED'}"
    )
    for status, answer in stats["wrong"][:3]:
        print(f"          refused: {status} {str(answer)[:160]}")
    return ok


RUN_ID = ""
results = []
for name in FAULTS:
    RUN_ID = uuid.uuid4().hex[:6].upper()  # the transaction ids of this fault's run: FT<RUN_ID>…
    results.append(run(name))
sys.exit(0 if all(results) else 1)
