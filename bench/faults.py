# ruff: noqa: SIM115, RUF059, E501 (a bench script: one-off files and long probe lines)
"""Faults survived, against `scripts/shape start DIR` (with `xaso seed-demo` run in it):
a load of submissions through nginx (each with its Idempotency-Key, retried with the same key on
a 5xx or a connection error, as a client should), and in the middle of it one fault:
  web      kill -9 of one gunicorn (master and workers) — nginx sends the rest to the other
  worker   kill -9 of the RQ worker (then started again, as systemd would)
  postgres `pg_ctl restart -m immediate` of the shape's own cluster (never the shared one)
  redis    Redis killed for 5 s, then started again
After each: every acknowledged submission exists exactly once, no answer was wrong (a 201 with
another key's dossier), and every message of those dossiers ends up sent.
Usage: .venv/bin/python bench/faults.py DIR [FAULT...]"""

import concurrent.futures
import os
import signal
import subprocess
import sys
import threading
import time
import uuid

sys.path.insert(0, os.path.dirname(__file__))
from shape_check import call, submission, upload

DIRECTORY = sys.argv[1]
FAULTS = sys.argv[2:] or ["web", "worker", "postgres", "redis"]
RUN, PG_BIN = f"{DIRECTORY}/run", "/usr/lib/postgresql/15/bin"
COUNT = 40


def pid(name):
    return int(open(f"{RUN}/{name}").read().strip())


def environment():
    out = subprocess.run(
        ["scripts/shape", "env", DIRECTORY], capture_output=True, text=True, check=True
    ).stdout
    return {**os.environ, **dict(line.split("=", 1) for line in out.splitlines())}


def fault(name):
    if name == "web":
        master = pid("web-8181.pid")
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
                "6381",
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


def one(index, stats):
    key = str(uuid.uuid4())
    body = None
    for attempt in range(30):
        try:
            if body is None:
                body = submission(upload())
            status, answer = call("POST", "/api/v1/dossiers", body, {"Idempotency-Key": key})
        except Exception:  # connection refused/reset: retryable
            status, answer = 0, None
        if status == 201:
            return key, answer["code"], attempt
        if status and status < 500 and status != 429:
            stats["wrong"].append((status, answer))
            return key, None, attempt
        stats["retried"] += 1
        time.sleep(0.5)
    return key, None, 30


def run(name):
    stats = {"retried": 0, "wrong": []}
    acknowledged = []
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        futures = [pool.submit(one, i, stats) for i in range(COUNT)]
        time.sleep(1.5)
        threading.Thread(target=fault, args=(name,)).start()
        for future in futures:
            key, code, _ = future.result()
            if code:
                acknowledged.append(code)
    probe = (
        "from xaso.dossiers.models import Dossier as D; from xaso.notify.models import "
        "OutboxMessage as M; import sys; codes=sys.argv[1:]; "
        "print(D.objects.filter(code__in=codes).count(), "
        "M.objects.filter(dossier__code__in=codes).exclude(state='sent').count())"
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
            ],
            env=environment(),
            capture_output=True,
            text=True,
        ).stdout.split()
        rows, unsent = int(out[-2]), int(out[-1])
        if unsent == 0 or time.time() > deadline:
            break
        time.sleep(3)
    ok = (
        rows == len(set(acknowledged)) == len(acknowledged) == COUNT
        and not stats["wrong"]
        and unsent == 0
    )
    print(
        f"{name:9} acknowledged {len(acknowledged)}/{COUNT}, rows {rows}, duplicates "
        f"{len(acknowledged) - len(set(acknowledged))}, retried {stats['retried']}, wrong "
        f"answers {len(stats['wrong'])}, unsent messages {unsent}: {'OK' if ok else 'FAILED'}"
    )
    for status, answer in stats["wrong"][:3]:
        print(f"          refused: {status} {str(answer)[:160]}")
    return ok


results = [run(name) for name in FAULTS]
sys.exit(0 if all(results) else 1)
