"""Tasks, rate limits and the cache on a real Redis (XASO_TASKS_BACKEND=rq, REDIS_URL): the
outbox's sending goes through the queue, `xaso worker` runs it once, the rate-limit counters are
one count for every process, the cache is shared. The tests' own Redis database (db 13 unless
XASO_TEST_REDIS_URL says otherwise), emptied before and after each test."""

import io

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client
from django_tasks import TaskResultStatus

from tests.core.test_rate_limit import LOOKUP, clock  # noqa: F401
from tests.helpers.services import REDIS_URL, redis_db  # noqa: F401
from xaso.core.tasks import audit_chain_check
from xaso.notify.models import OutboxMessage
from xaso.notify.services import outbox_enqueue

# One worker runs them all: they share one Redis database, which each test empties.
pytestmark = [pytest.mark.redis, pytest.mark.xdist_group("redis")]

RQ = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
REDIS_CACHE = {
    "BACKEND": "django.core.cache.backends.redis.RedisCache",
    "LOCATION": REDIS_URL,
    "KEY_PREFIX": "xaso-rl",
}


@pytest.fixture
def rq(settings, redis_db):  # noqa: F811
    settings.TASKS = RQ
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}}
    return redis_db


def queued(redis) -> int:
    return redis.llen("rq:queue:default")


def worker_batch() -> None:
    call_command("worker", batch=True, in_process=True, stdout=io.StringIO())


def test_a_message_is_queued_in_redis_and_sent_once_by_the_worker(transactional_db, rq):
    message = outbox_enqueue(
        recipient="0912345678",
        template="dossier_received",
        channel="log",
        data={
            "commune": "Xã Phú Lộc (demo)",
            "code": "DEMO-PL-261125-0001",
            "secret": "ABCD2345",
            "due_at": "2026-11-27T10:00:00+00:00",
        },
    )  # fmt: skip (autocommit: queued at once)
    assert queued(rq) == 1
    assert OutboxMessage.objects.get().state == OutboxMessage.State.PENDING

    worker_batch()
    message.refresh_from_db()
    assert message.state == OutboxMessage.State.SENT and message.attempts == 1
    assert queued(rq) == 0

    worker_batch()  # nothing left: the message is not sent again
    message.refresh_from_db()
    assert message.attempts == 1


def test_a_task_result_is_read_back_from_redis(transactional_db, rq):
    result = audit_chain_check.enqueue()
    assert result.status == TaskResultStatus.READY
    worker_batch()
    result.refresh()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == 0


@pytest.mark.urls("tests.core.fake_api")
def test_two_processes_share_one_rate_limit_count(db, settings, redis_db, clock):  # noqa: F811
    """Two web processes = two cache connections to Redis: the 31st lookup of the minute is
    refused whichever process gets it (with a memory cache each would allow 30)."""
    settings.CACHES = {**settings.CACHES, "ratelimit": REDIS_CACHE}
    settings.XASO_RATE_LOOKUP = "30/m"
    for number in range(30):
        if number == 15:  # the "other process": a fresh connection to the same Redis
            caches["ratelimit"].close()
            del caches["ratelimit"]
        assert Client(REMOTE_ADDR="198.51.100.7").get(LOOKUP).status_code == 200
    assert Client(REMOTE_ADDR="198.51.100.7").get(LOOKUP).status_code == 429
    assert any(key.startswith(b"xaso-rl") for key in redis_db.keys("*"))


def test_the_general_cache_is_on_redis_and_forgiving(settings, redis_db, caplog):  # noqa: F811
    settings.CACHES = {
        **settings.CACHES,
        "default": {**REDIS_CACHE, "BACKEND": "xaso.core.cache.ForgivingRedisCache",
                    "KEY_PREFIX": "xaso"},
    }  # fmt: skip
    caches["default"].set("guide", b"%PDF-1.7 ...", 60)
    assert redis_db.keys(b"xaso:*")
    assert caches["default"].get("guide") == b"%PDF-1.7 ..."

    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "xaso.core.cache.ForgivingRedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there: Redis is down
            "OPTIONS": {"socket_connect_timeout": 0.2},
        },
    }
    assert caches["default"].get("guide", "missed") == "missed"
    caches["default"].set("guide", b"...")  # skipped, not raised
    assert "cache unavailable" in caplog.text
