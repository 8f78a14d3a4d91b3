"""The promise of the outbox against a real (fake) gateway: a message written is delivered once,
whatever the gateway does in between, and even when the process dies before sending it."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.notify.conftest import PHONE, submit_at_desk
from xaso.notify.models import OutboxMessage
from xaso.notify.services import outbox_enqueue, outbox_send_due

State = OutboxMessage.State
PHONES = ["0912345678", "0987654321", "0356789012"]


class Clock:
    def __init__(self):
        self.now = timezone.now()

    def __call__(self):
        return self.now


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock)
    return clock


def write_messages(channel: str) -> list[OutboxMessage]:
    return [
        outbox_enqueue(
            recipient=phone,
            template="dossier_received",
            data={
                "commune": "Xã Phú Lộc (demo)",
                "code": f"DEMO-PL-261125-000{n}",
                "secret": f"SECRET{n}",
            },
            channel=channel,
        )
        for n, phone in enumerate(PHONES, start=1)
    ]


def run_until_settled(clock: Clock, *, rounds: int = 60) -> None:
    """What the cron job does every minute, with time jumping to the next attempt due."""
    for _ in range(rounds):
        outbox_send_due()
        waiting = OutboxMessage.objects.filter(state__in=[State.PENDING, State.SENDING])
        due = waiting.order_by("next_attempt_at").values_list("next_attempt_at", flat=True)
        if not due:
            return
        clock.now = max(clock.now, due[0])
    raise AssertionError("the outbox never settled")


@pytest.mark.parametrize("provider", ["sms_gateway", "zalo"])
def test_a_gateway_down_for_ten_attempts_then_up_delivers_every_message_once(
    db, clock, settings, request, provider
):
    gateway = request.getfixturevalue(provider)
    gateway.script = ["fail"] * 10
    messages = write_messages("sms" if provider == "sms_gateway" else "zalo")
    run_until_settled(clock)
    assert len(gateway.requests) == 13  # ten failures, then one success per message
    phone_field = "Phone" if provider == "sms_gateway" else "phone"
    delivered = sorted(request["body"][phone_field][-9:] for request in gateway.delivered)
    assert delivered == sorted(phone[-9:] for phone in PHONES)  # each exactly once
    for message in messages:
        message.refresh_from_db()
        assert message.state == State.SENT
        assert message.attempts >= 2 and "HTTP 500" in message.last_error
    assert len({m.provider_id for m in OutboxMessage.objects.all()}) == 3
    clock.now += timedelta(days=1)
    outbox_send_due()
    assert len(gateway.requests) == 13  # nothing is sent again


def test_garbage_and_timeouts_are_retried_and_nothing_is_lost(db, clock, sms_gateway):
    sms_gateway.script = ["garbage", "slow", "busy", "garbage", "slow"]
    messages = write_messages("sms")
    run_until_settled(clock)
    assert {m.state for m in OutboxMessage.objects.all()} == {State.SENT}
    delivered = sorted(request["body"]["Phone"] for request in sms_gateway.delivered)
    assert delivered == sorted(PHONES)
    errors = " ".join(m.last_error for m in OutboxMessage.objects.filter(pk__in=[
        m.pk for m in messages]))  # fmt: skip
    assert "not JSON" in errors and "did not answer" in errors


def test_a_crash_between_commit_and_send_still_delivers_the_message(
    demo, settings, sms_gateway, django_capture_on_commit_callbacks
):
    settings.XASO_NOTIFY_CHANNEL = "sms"
    # The dossier and its outbox row commit; the process dies before the queued task runs.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        dossier = submit_at_desk()
    assert len(callbacks) >= 1
    message = OutboxMessage.objects.get(dossier=dossier)
    assert message.state == State.PENDING and sms_gateway.requests == []
    call_command("notify_send_due")  # cron, after the restart
    message.refresh_from_db()
    assert message.state == State.SENT
    [request] = sms_gateway.delivered
    assert request["body"]["Phone"] == PHONE and dossier.code in request["body"]["Content"]
    call_command("notify_send_due")
    assert len(sms_gateway.requests) == 1
