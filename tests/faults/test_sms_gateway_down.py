"""The SMS gateway down in the middle of a load of online submissions and their receipt at the
desk (the receipt is what sends the citizen an SMS): first it refuses connections, then it
answers HTTP 500, then it times out, then it is up again. Every submission and receipt succeeds
meanwhile (sending happens after commit, outside the request); every message waits in the outbox
and, once the gateway is back, each is delivered exactly once."""

# ruff: noqa: F811 (fixtures imported as test arguments)

import json
import uuid

import pytest
from django.test import Client

from tests.dossiers.conftest import demo, staff, submission  # noqa: F401 (fixtures)
from tests.helpers.services import free_port
from tests.notify.conftest import sms_gateway  # noqa: F401 (fixture)
from tests.notify.test_delivery import clock, run_until_settled  # noqa: F401 (fixture)
from xaso.dossiers.models import Dossier
from xaso.notify.models import OutboxMessage

pytestmark = pytest.mark.faults

SUBMISSIONS = 9


def submit_and_receive(desk, django_capture_on_commit_callbacks) -> dict:
    """One citizen's online submission with its Idempotency-Key, then its receipt at the desk;
    what they queue after commit (the attempt to send the SMS) runs then, as in production."""
    with django_capture_on_commit_callbacks(execute=True):
        answer = Client().post(
            "/api/v1/dossiers",
            json.dumps(submission()),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
        )
    assert answer.status_code == 201, answer.content  # never a failure for the citizen
    with django_capture_on_commit_callbacks(execute=True):
        received = desk.post(f"/api/v1/dossiers/{answer.json()['code']}/receive", {})
    assert received.status_code == 200, received.content  # nor for the desk
    return answer.json()


def test_messages_queued_while_the_gateway_is_down_are_each_delivered_once(
    staff, settings, sms_gateway, clock, django_capture_on_commit_callbacks
):
    desk = staff["reception"]
    settings.XASO_NOTIFY_CHANNEL = "sms"
    settings.XASO_RATE_ANON_SUBMIT = "1000/m"
    gateway_url = settings.XASO_NOTIFY_SMS["url"]
    down = f"http://127.0.0.1:{free_port()}/send"  # nothing listens: connection refused
    settings.XASO_NOTIFY_SMS = {**settings.XASO_NOTIFY_SMS, "url": down}

    created = [submit_and_receive(desk, django_capture_on_commit_callbacks) for _ in range(3)]
    settings.XASO_NOTIFY_SMS = {**settings.XASO_NOTIFY_SMS, "url": gateway_url}
    sms_gateway.script = ["fail"] * 8 + ["slow"] * 2  # up, but failing, then hanging
    created += [
        submit_and_receive(desk, django_capture_on_commit_callbacks) for _ in range(SUBMISSIONS - 3)
    ]

    codes = [answer["code"] for answer in created]
    assert len(set(codes)) == SUBMISSIONS
    assert Dossier.objects.filter(code__in=codes).count() == SUBMISSIONS
    waiting = OutboxMessage.objects.filter(dossier__code__in=codes)
    assert waiting.count() == SUBMISSIONS and not waiting.filter(state="sent").exists()

    run_until_settled(clock)  # what `xaso notify-send-due` does every minute, time jumping

    assert set(OutboxMessage.objects.values_list("state", flat=True)) == {"sent"}
    texts = [request["body"]["Content"] for request in sms_gateway.delivered]
    for code in codes:  # each dossier's message delivered exactly once
        assert sum(code in text for text in texts) == 1, code
    assert len(texts) == SUBMISSIONS
    failures = [request for request in sms_gateway.requests if request["mode"] != "ok"]
    assert len(sms_gateway.requests) == SUBMISSIONS + len(failures)
    assert OutboxMessage.objects.filter(attempts__gt=1).count() >= 3  # they were retried
    refused_first = OutboxMessage.objects.filter(dossier__code__in=codes[:3])
    assert all(message.attempts >= 2 for message in refused_first)

    clock.now += clock.now - clock.now.replace(hour=0)  # later the same day: nothing again
    run_until_settled(clock)
    assert len(sms_gateway.delivered) == SUBMISSIONS
