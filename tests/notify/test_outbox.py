import io
import logging
import threading
import time
from dataclasses import replace
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks.backends.immediate import ImmediateBackend

from xaso.notify import channels, services, templates
from xaso.notify.channels import Channel, ChannelError, PermanentChannelError
from xaso.notify.models import OutboxMessage
from xaso.notify.services import outbox_enqueue, outbox_send, outbox_send_due, retry_delay
from xaso.notify.tasks import outbox_retry_due

State = OutboxMessage.State
DATA = {
    "commune": "Xã Phú Lộc (demo)",
    "code": "DEMO-PL-261125-0001",
    "secret": "ABCD2345",
    "due_at": "2026-11-27T10:00:00+00:00",
}


class Clock:
    def __init__(self):
        self.now = timezone.now()

    def __call__(self):
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def clock(monkeypatch) -> Clock:
    clock = Clock()
    monkeypatch.setattr(timezone, "now", clock)
    return clock


@pytest.fixture
def gateway(monkeypatch):
    """A channel in place of `log` that plays a script: an exception per failing attempt."""

    class Gateway(Channel):
        name = "log"
        script: list[Exception] = []
        delivered: list[int] = []

        def send(self, message) -> str:
            if Gateway.script:
                raise Gateway.script.pop(0)
            Gateway.delivered.append(message.pk)
            return f"gw-{len(Gateway.delivered)}"

    monkeypatch.setitem(channels.CHANNELS, "log", Gateway)
    return Gateway


def enqueue(**extra) -> OutboxMessage:
    # In a test's transaction nothing commits: the row stays pending until the test sends it.
    return outbox_enqueue(recipient="0912345678", template="dossier_received", data=DATA, **extra)


def notify_records(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "xaso.notify" and r.levelno == logging.INFO]


def test_sending_marks_the_row_sent_and_a_second_call_sends_nothing(db, caplog):
    caplog.set_level(logging.INFO, logger="xaso.notify")
    message = enqueue()
    assert (message.state, message.channel, message.language) == (State.PENDING, "log", "vi")
    assert outbox_send(message.pk) == "sent"
    assert outbox_send(message.pk) == "skipped"
    message.refresh_from_db()
    assert (message.state, message.attempts, message.provider_id) == (
        State.SENT,
        1,
        f"log-{message.pk}",
    )
    assert message.sent_at is not None and message.next_attempt_at is None
    [record] = notify_records(caplog)
    assert "0912345678" in record.getMessage() and "DEMO-PL-261125-0001" in record.getMessage()
    assert outbox_send_due() == {}


def test_a_failing_channel_backs_off_exponentially_then_gives_up(db, clock, gateway, settings):
    settings.XASO_NOTIFY_MAX_ATTEMPTS = 4
    gateway.script = [ChannelError("gateway down")] * 10
    message = enqueue()
    waits = []
    assert outbox_send(message.pk) == "retry"
    for _ in range(3):
        message.refresh_from_db()
        assert message.state == State.PENDING
        assert "ChannelError: gateway down" in message.last_error
        wait = (message.next_attempt_at - clock.now).total_seconds()
        waits.append(wait)
        clock.advance(wait - 1)
        assert outbox_send_due() == {}  # not yet due
        clock.advance(1)
        outcome = outbox_send_due()
    assert waits == [60, 120, 240]
    assert outcome == {"failed": 1}
    message.refresh_from_db()
    assert (message.state, message.attempts, message.next_attempt_at) == (State.FAILED, 4, None)
    assert outbox_send(message.pk) == "skipped"
    clock.advance(86400)
    assert outbox_send_due() == {}
    assert gateway.delivered == []


def test_a_gateway_down_for_a_while_then_up_delivers_exactly_once(db, clock, gateway):
    gateway.script = [ChannelError("503"), TimeoutError("read timed out"), ValueError("garbage")]
    message = enqueue()
    outcomes = [outbox_send(message.pk)]
    while outcomes[-1] == "retry":
        message.refresh_from_db()
        clock.advance((message.next_attempt_at - clock.now).total_seconds())
        outcomes.append(outbox_send_due().popitem()[0])
    assert outcomes == ["retry", "retry", "retry", "sent"]
    assert gateway.delivered == [message.pk]
    message.refresh_from_db()
    assert (message.state, message.attempts, message.provider_id) == (State.SENT, 4, "gw-1")
    assert "ValueError: garbage" in message.last_error  # what went wrong before, for the admin
    clock.advance(86400)
    assert outbox_send_due() == {} and outbox_send(message.pk) == "skipped"
    assert gateway.delivered == [message.pk]


def test_a_permanent_error_fails_at_once(db, gateway):
    gateway.script = [PermanentChannelError("number refused")]
    message = enqueue()
    assert outbox_send(message.pk) == "failed"
    message.refresh_from_db()
    assert (message.state, message.attempts) == (State.FAILED, 1)


def test_the_wait_doubles_up_to_the_cap():
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 6, 7, 12)] == [
        60,
        120,
        240,
        1920,
        3600,
        3600,
    ]


def test_a_row_whose_sender_died_is_sent_again_once_its_claim_lapses(db, clock, gateway):
    message = enqueue()
    # A worker claimed it and died before sending (or before recording the outcome).
    assert services._claim(message.pk) is not None
    assert outbox_send(message.pk) == "skipped"  # the claim is still live
    assert outbox_send_due() == {}
    clock.advance(300)
    assert outbox_send_due() == {"sent": 1}
    message.refresh_from_db()
    assert (message.state, message.attempts) == (State.SENT, 2)


def test_a_claim_lapsed_on_the_last_attempt_fails_the_row(db, clock, settings):
    settings.XASO_NOTIFY_MAX_ATTEMPTS = 1
    message = enqueue()
    services._claim(message.pk)
    clock.advance(300)
    assert outbox_send_due() == {"skipped": 1}
    message.refresh_from_db()
    assert (message.state, message.last_error) == (State.FAILED, "the last attempt was interrupted")


def test_a_queue_that_is_down_loses_nothing(
    db, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def broken_queue(*args, **kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(ImmediateBackend, "enqueue", broken_queue)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        message = enqueue()  # the error is logged, not raised into the caller
    assert len(callbacks) == 1
    assert "redis is down" in caplog.text
    message.refresh_from_db()
    assert message.state == State.PENDING
    assert outbox_send_due() == {"sent": 1}


def test_the_send_task_runs_after_commit(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue()
    message.refresh_from_db()
    assert message.state == State.SENT


def test_the_retry_task_sends_what_is_due(db):
    message = enqueue()
    result = outbox_retry_due.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value == {"sent": 1}
    message.refresh_from_db()
    assert message.state == State.SENT


def test_the_worker_sends_a_message_queued_in_the_database(transactional_db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    message = enqueue()  # autocommit: the task is queued at once, in the database
    assert OutboxMessage.objects.get().state == State.PENDING
    call_command("worker", batch=True, stdout=io.StringIO())
    message.refresh_from_db()
    assert message.state == State.SENT


def test_the_cron_command_reports_what_it_did(db, capsys):
    enqueue()
    call_command("notify_send_due")
    assert capsys.readouterr().out.strip() == "sent: 1"
    call_command("notify_send_due")
    assert capsys.readouterr().out.strip() == "nothing due"


def test_a_channel_not_configured_renders_the_sms_form_and_fails_to_send(db):
    message = enqueue(channel="sms")
    assert message.text.startswith("UBND xa Phu Loc (demo): da nhan ho so DEMO-PL")
    assert outbox_send(message.pk) == "failed"
    message.refresh_from_db()
    assert "the SMS gateway is not configured" in message.last_error


def test_an_unknown_channel_fails_the_row(db):
    message = enqueue(channel="pigeon")
    assert outbox_send(message.pk) == "failed"
    message.refresh_from_db()
    assert "channel 'pigeon' is not available" in message.last_error


def test_an_unknown_channel_setting_is_a_system_check_error(settings):
    assert channels.channel_setting_check() == []
    settings.XASO_NOTIFY_CHANNEL = "pigeon"
    [error] = channels.channel_setting_check()
    assert error.id == "notify.E001"


@pytest.mark.postgres_only
@pytest.mark.skipif(
    not django_settings.DATABASES["default"]["ENGINE"].endswith("postgresql"),
    reason="row locks (select_for_update) exist on PostgreSQL only",
)
def test_two_workers_sending_one_row_at_once_deliver_it_once(transactional_db, monkeypatch):
    delivered = []

    class SlowGateway(Channel):
        name = "log"

        def send(self, message) -> str:
            time.sleep(0.3)  # the other worker arrives while this one talks to the gateway
            delivered.append(message.pk)
            return "slow-1"

    monkeypatch.setitem(channels.CHANNELS, "log", SlowGateway)
    message = OutboxMessage.objects.create(
        recipient="0912345678",
        channel="log",
        template="dossier_received",
        language="vi",
        text="…",
        next_attempt_at=timezone.now(),
        created_at=timezone.now(),
    )
    start = threading.Barrier(2)
    outcomes = []

    def worker():
        try:
            start.wait()
            outcomes.append(outbox_send(message.pk))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["sent", "skipped"]
    assert delivered == [message.pk]


def test_a_broken_template_never_refuses_the_action_and_is_sent_once_fixed(db, monkeypatch, caplog):
    def broken(values):
        return values["a value no template has"]

    template = templates.TEMPLATES["dossier_received"]
    monkeypatch.setitem(templates.TEMPLATES, "dossier_received", replace(template, long=broken))
    message = enqueue()  # no exception into the dossier action
    assert (message.state, message.text) == (State.PENDING, "")
    assert "template dossier_received could not be rendered" in caplog.text
    monkeypatch.setitem(templates.TEMPLATES, "dossier_received", template)  # the fix is deployed
    assert outbox_send(message.pk) == "sent"
    message.refresh_from_db()
    assert message.text.startswith("UBND xã Phú Lộc (demo) đã tiếp nhận hồ sơ")


def test_a_template_still_broken_at_sending_fails_the_row(db, monkeypatch):
    message = enqueue()
    OutboxMessage.objects.filter(pk=message.pk).update(text="", template="no_such_template")
    assert outbox_send(message.pk) == "failed"
    message.refresh_from_db()
    assert "cannot be rendered" in message.last_error
