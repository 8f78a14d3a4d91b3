"""kill -9 of the RQ worker (`xaso worker` and the work horse it forked for the task, as systemd
kills the service's control group) in the middle
of a batch of queued messages, on a private Redis and the SMS gateway: the worker is started
again, the message it was sending when it died is sent again once its lease lapses (`xaso
notify-send-due`), and every message reaches the citizen exactly once. The gateway sees that one
message twice: the outbox is at least once; the request id it carries (the same on every
attempt) is what lets a deduplicating gateway send it once.

The worker is another process, reading the test database: PostgreSQL only (SQLite's test
database lives in the test process's memory)."""

# ruff: noqa: F811 (fixtures imported as test arguments)

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from tests.faults.test_redis_down import on_redis  # noqa: F401 (fixture)
from tests.helpers.services import private_redis  # noqa: F401 (fixture)
from tests.notify.conftest import sms_gateway  # noqa: F401 (fixture)
from xaso.notify.models import OutboxMessage
from xaso.notify.services import outbox_enqueue

pytestmark = [
    pytest.mark.faults,
    pytest.mark.redis,
    pytest.mark.postgres_only,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the worker process reads the test database: SQLite's is in the test's memory",
    ),
]

MESSAGES = 12
LEASE_SECONDS = 3
PHONES = [f"09123450{n:02d}" for n in range(MESSAGES)]


def environment(redis_url: str, sms: dict) -> dict:
    """The worker's and cron's: this test database, the private Redis, the fake gateway."""
    database = connection.settings_dict
    return {
        **os.environ,  # the tests' keys (tests/settings.py), so both read the same rows
        "DJANGO_SETTINGS_MODULE": "xaso.settings",  # production's, on this Redis and database
        "DATABASE_URL": f"postgres://{quote(database['USER'])}:{quote(database['PASSWORD'] or '')}"
        f"@{database['HOST']}:{database['PORT']}/{database['NAME']}",
        "REDIS_URL": redis_url,
        "XASO_TASKS_BACKEND": "rq",
        "XASO_NOTIFY_SMS": json.dumps(sms),
        "XASO_NOTIFY_HTTP_TIMEOUT": "5",
        "XASO_NOTIFY_LEASE_SECONDS": str(LEASE_SECONDS),
    }


XASO = str(Path(sys.executable).with_name("xaso"))


def start_worker(redis_url: str, sms: dict, log: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [XASO, "worker"],
        env=environment(redis_url, sms),
        stdout=log.open("ab"),
        stderr=subprocess.STDOUT,
    )


def kill_9(worker: subprocess.Popen) -> None:
    """The worker and its work horse (rq forks one per task, in a session of its own)."""
    children = Path(f"/proc/{worker.pid}/task/{worker.pid}/children").read_text().split()
    for pid in [int(child) for child in children]:
        os.kill(pid, signal.SIGKILL)
    worker.kill()
    worker.wait()


def wait_until(condition, *, seconds: float, what: str, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            tail = log.read_text(errors="replace")[-3000:]
            raise AssertionError(f"never happened within {seconds} s: {what}\n{tail}")
        time.sleep(0.02)


def test_a_worker_killed_mid_batch_leaves_every_message_sent_once(
    demo_committed, settings, on_redis, sms_gateway, tmp_path
):
    sms = {**settings.XASO_NOTIFY_SMS}
    sms["fields"] = {**sms["fields"], "request_id": "RequestId"}
    settings.XASO_NOTIFY_SMS = sms
    sms_gateway.dedupe_field = "RequestId"
    sms_gateway.delay_seconds = 0.4  # a gateway that takes its time: the kill lands mid-send
    for number, phone in enumerate(PHONES):
        outbox_enqueue(
            recipient=phone,
            template="dossier_received",
            channel="sms",
            data={
                "commune": "Xã Phú Lộc (demo)",
                "code": f"DEMO-PL-261125-{number:04d}",
                "secret": f"SECRET{number:02d}",
            },
        )  # fmt: skip (autocommit: each queued in Redis at once)
    log = tmp_path / "worker.log"
    worker = start_worker(on_redis.url, sms, log)
    try:
        wait_until(lambda: len(sms_gateway.requests) >= 3, seconds=60, what="3 sends", log=log)
        kill_9(worker)  # while the third is at the gateway
        killed_at = len(sms_gateway.requests)
        assert killed_at < MESSAGES, "the worker finished before it was killed"

        worker = start_worker(on_redis.url, sms, log)  # as systemd would
        wait_until(
            lambda: (
                OutboxMessage.objects.exclude(state="sending").filter(state="sent").count()
                >= MESSAGES - 1
            ),
            seconds=90,
            what="the queued messages sent by the new worker",
            log=log,
        )
        time.sleep(LEASE_SECONDS + 0.5)  # the interrupted send's lease lapses
        # cron, on the machine's clock as the worker (the test's own clock is TEST_MOMENT)
        subprocess.run(
            [XASO, "notify-send-due"], env=environment(on_redis.url, sms), check=True,
            capture_output=True, timeout=60,
        )  # fmt: skip
        wait_until(
            lambda: set(OutboxMessage.objects.values_list("state", flat=True)) == {"sent"},
            seconds=30,
            what="every message sent",
            log=log,
        )
    finally:
        if worker.poll() is None:
            worker.terminate()  # a warm shutdown: it lets its work horse finish
            worker.wait(20)

    delivered = [request["body"]["Phone"] for request in sms_gateway.delivered]
    assert sorted(delivered) == sorted(PHONES), log.read_text()[-2000:]  # each exactly once
    request_ids = {request["body"]["RequestId"] for request in sms_gateway.requests}
    assert request_ids == {f"xaso-{m.pk}" for m in OutboxMessage.objects.all()}
    # The one at the gateway when the worker died was sent again, and deduplicated there.
    assert len(sms_gateway.resent) == 1
    assert len(sms_gateway.requests) == MESSAGES + 1
    resent = OutboxMessage.objects.get(attempts=2)
    assert f"xaso-{resent.pk}" == sms_gateway.resent[0]["body"]["RequestId"]
