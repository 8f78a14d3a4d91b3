"""Every morning each officer hears of their commune's overdue and due-today dossiers."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.dossiers.conftest import at  # noqa: F401 (fixture)
from tests.notify.conftest import staff, submit_at_desk
from xaso.core.models import AuditEntry
from xaso.dossiers.models import Dossier
from xaso.notify.models import OutboxMessage
from xaso.notify.services import officer_digest_send
from xaso.notify.tasks import officer_digest_task


@pytest.fixture(autouse=True)
def after_the_cut_off(at):  # noqa: F811
    # Wednesday 16:00 in Việt Nam: a birth registration received now is due tomorrow, so only the
    # dossier this test makes due today is. (At 10:00 it would be due the same day.)
    at(2026, 11, 25, 16, 0)


def morning():
    """Two dossiers in Phú Lộc: one overdue since yesterday, one due at the end of today."""
    now = timezone.now()
    local_midnight = timezone.localtime(now).replace(hour=0, minute=0, second=0, microsecond=0)
    late = submit_at_desk()
    today = submit_at_desk()
    Dossier.objects.filter(pk=late.pk).update(due_at=now - timedelta(days=1))
    end_of_today = local_midnight + timedelta(days=1) - timedelta(seconds=1)
    Dossier.objects.filter(pk=today.pk).update(due_at=end_of_today)
    submit_at_desk()  # due in days: not listed
    reception, specialist = staff("reception"), staff("specialist")
    reception.email = "motcua@phuloc.example.vn"
    reception.save()
    specialist.phone = "0905111222"
    specialist.save()
    other = staff("other-reception")  # another commune, nothing due there
    other.email = "motcua@other.example.vn"
    other.save()
    return late, today


def test_one_digest_per_officer_with_an_address_listing_the_communes_dossiers(demo, settings):
    settings.XASO_NOTIFY_EMAIL_FROM = "xaso@phuloc.example.vn"
    late, today = morning()
    assert officer_digest_send() == 2
    messages = {m.recipient: m for m in OutboxMessage.objects.filter(template="officer_digest")}
    assert set(messages) == {"motcua@phuloc.example.vn", "0905111222"}
    email, phone = messages["motcua@phuloc.example.vn"], messages["0905111222"]
    assert (email.channel, phone.channel) == ("email", "log")
    assert [row["code"] for row in email.data["overdue"]] == [late.code]
    assert [row["code"] for row in email.data["due_today"]] == [today.code]
    assert "quá hạn 1" in email.subject.lower() or "overdue 1" in email.subject
    assert late.code in email.text and today.code in email.text
    assert email.dossier is None  # about many dossiers: the superuser's admin view
    assert AuditEntry.objects.filter(action="notify.officer_digest").count() == 1
    # Run again the same day (a second cron, a retry): nothing new.
    assert officer_digest_send() == 0


def test_no_digest_when_nothing_is_due(demo):
    submit_at_desk()
    reception = staff("reception")
    reception.email = "motcua@phuloc.example.vn"
    reception.save()
    assert officer_digest_send() == 0


def test_the_command_and_the_task(demo, settings):
    settings.XASO_NOTIFY_EMAIL_FROM = "xaso@phuloc.example.vn"
    morning()
    out = io.StringIO()
    call_command("notify_digest", stdout=out)
    assert out.getvalue().strip() == "digest messages: 2"
    assert officer_digest_task.enqueue().return_value == 0
