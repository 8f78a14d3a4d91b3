"""Redis down in the middle of a load (a private redis-server, killed, then started again empty,
as `--save ""` does): submissions and receipts at the desk still succeed (the rate limit goes
unchecked, the cache misses, the failed enqueue leaves the message pending); once Redis is back,
`xaso notify-send-due` and the RQ worker together send every message exactly once."""

# ruff: noqa: F811 (fixtures imported as test arguments)

import io
import json
import uuid

import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.test import Client

from tests.dossiers.conftest import submission
from tests.helpers.api import ApiClient
from tests.helpers.services import private_redis  # noqa: F401 (fixture)
from tests.notify.conftest import sms_gateway  # noqa: F401 (fixture)
from xaso.accounts.models import User
from xaso.dossiers.models import Dossier
from xaso.notify.models import OutboxMessage

pytestmark = [pytest.mark.faults, pytest.mark.redis]

PER_PHASE = 3


@pytest.fixture
def on_redis(settings, private_redis):
    """The queue, the rate-limit counters and the cache on the private Redis, as REDIS_URL sets
    them in production (xaso/settings.py), with its short timeouts."""
    options = {"socket_connect_timeout": 1, "socket_timeout": 1}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    settings.RQ_QUEUES = {
        "default": {
            "URL": private_redis.url,
            "CONNECTION_KWARGS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
    settings.CACHES = {
        "default": {"BACKEND": "xaso.core.cache.ForgivingRedisCache",
                    "LOCATION": private_redis.url, "KEY_PREFIX": "xaso", "OPTIONS": options},
        "ratelimit": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                      "LOCATION": private_redis.url, "KEY_PREFIX": "xaso-rl", "OPTIONS": options},
    }  # fmt: skip
    yield private_redis
    for alias in ("default", "ratelimit"):
        caches[alias].close()


def worker_batch() -> None:
    call_command("worker", batch=True, in_process=True, stdout=io.StringIO())


def submit_and_receive(desk) -> str:
    """Committed for real (the worker closes the database connections, as a worker must): the
    enqueue runs after commit, as live."""
    answer = Client().post(
        "/api/v1/dossiers",
        json.dumps(submission()),
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
    )
    assert answer.status_code == 201, answer.content
    code = answer.json()["code"]
    received = desk.post(f"/api/v1/dossiers/{code}/receive", {})
    assert received.status_code == 200, received.content
    return code


def test_submissions_survive_redis_down_and_every_message_is_sent_once(
    demo_committed, settings, on_redis, sms_gateway
):
    settings.XASO_NOTIFY_CHANNEL = "sms"
    desk = ApiClient().as_user(User.objects.get(username="reception"))
    load = lambda: [submit_and_receive(desk) for _ in range(PER_PHASE)]  # noqa: E731
    before = load()
    worker_batch()
    assert len(sms_gateway.delivered) == PER_PHASE

    on_redis.stop()
    during = load()  # Redis down: nothing fails for the citizen or the desk
    waiting = OutboxMessage.objects.filter(dossier__code__in=during)
    assert set(waiting.values_list("state", flat=True)) == {"pending"}
    assert len(sms_gateway.delivered) == PER_PHASE

    on_redis.start()  # back, empty
    after = load()  # queued again
    call_command("notify_send_due", stdout=io.StringIO())  # cron: the pending ones (and more)
    worker_batch()  # the jobs queued after Redis came back: already sent, skipped

    codes = before + during + after
    assert Dossier.objects.filter(code__in=codes).count() == len(set(codes)) == 3 * PER_PHASE
    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"sent"}
    texts = [request["body"]["Content"] for request in sms_gateway.delivered]
    for code in codes:
        assert sum(code in text for text in texts) == 1, code
    assert len(sms_gateway.requests) == 3 * PER_PHASE  # none sent twice, none attempted twice
    call_command("notify_send_due", stdout=io.StringIO())
    worker_batch()
    assert len(sms_gateway.requests) == 3 * PER_PHASE
