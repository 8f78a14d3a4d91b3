"""The outbox in the admin: the commune admin sees their commune's messages (failed ones to send
again), another commune's admin sees none, and messages tied to no dossier are the superuser's."""

import pytest
from django.test import Client

from tests.helpers.second_factor import verified_client
from tests.notify.conftest import staff, submit_at_desk
from xaso.accounts.models import Role, User
from xaso.accounts.services import membership_grant
from xaso.core.models import AuditEntry
from xaso.notify.models import OutboxMessage
from xaso.notify.services import outbox_retry, sign_in_code_send
from xaso.places.models import Commune

OUTBOX = "/admin/notify/outboxmessage/"
State = OutboxMessage.State


def client_for(user) -> Client:
    return verified_client(user)  # administrators pass the second factor


@pytest.fixture
def outbox(demo):
    """A failed message about a Phú Lộc dossier, a sent one, and a sign-in code (no dossier)."""
    failed = OutboxMessage.objects.get(dossier=submit_at_desk())
    failed.state, failed.last_error, failed.attempts = State.FAILED, "HTTP 500", 12
    failed.next_attempt_at = None
    failed.save()
    sent = OutboxMessage.objects.get(dossier=submit_at_desk())
    sent.state = State.SENT
    sent.save()
    code = sign_in_code_send(phone="0977000111", code="123456", minutes=5, language="vi")
    return {"failed": failed, "sent": sent, "code": code}


@pytest.fixture
def other_admin(demo) -> User:
    user = User.objects.create(username="other-admin", is_staff=True)
    membership_grant(actor=None, user=user, role=Role.COMMUNE_ADMIN,
                     commune=Commune.objects.get(code="DEMO-TN"))  # fmt: skip
    return user


def listed(response) -> set[int]:
    assert response.status_code == 200, response.status_code
    return {row.pk for row in response.context["cl"].result_list}


def test_the_commune_admin_sees_the_communes_messages_and_filters_them(outbox):
    client = client_for(staff("admin"))
    assert listed(client.get(OUTBOX)) == {outbox["failed"].pk, outbox["sent"].pk}
    assert listed(client.get(OUTBOX, {"state__exact": "failed"})) == {outbox["failed"].pk}
    assert listed(client.get(OUTBOX, {"q": outbox["sent"].dossier.code})) == {outbox["sent"].pk}
    assert listed(client.get(OUTBOX, {"channel__exact": "sms"})) == set()
    page = client.get(f"{OUTBOX}{outbox['failed'].pk}/change/")
    assert page.status_code == 200 and b"HTTP 500" in page.content
    assert client.get(f"{OUTBOX}{outbox['code'].pk}/change/").status_code == 302  # not theirs


def test_another_communes_admin_sees_none_of_them(outbox, other_admin):
    client = client_for(other_admin)
    assert listed(client.get(OUTBOX)) == set()
    response = client.post(OUTBOX, {"action": "send_again",
                                    "_selected_action": [outbox["failed"].pk]})  # fmt: skip
    assert response.status_code in (200, 302)
    outbox["failed"].refresh_from_db()
    assert outbox["failed"].state == State.FAILED


def test_other_roles_do_not_open_the_outbox(outbox):
    assert client_for(staff("reception")).get(OUTBOX).status_code == 403


def test_the_superuser_sees_every_message_including_sign_in_codes(outbox):
    root = User.objects.create(username="root", is_staff=True, is_superuser=True)
    assert listed(client_for(root).get(OUTBOX)) == {m.pk for m in outbox.values()}


def test_send_again_resets_the_failed_rows_and_audits(outbox, django_capture_on_commit_callbacks):
    client = client_for(staff("admin"))
    selected = [outbox["failed"].pk, outbox["sent"].pk]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(OUTBOX, {"action": "send_again", "_selected_action": selected},
                               follow=True)  # fmt: skip
    assert response.status_code == 200
    outbox["failed"].refresh_from_db()
    assert (outbox["failed"].state, outbox["failed"].attempts) == (State.SENT, 1)
    [entry] = AuditEntry.objects.filter(action="notify.outbox_retry")
    assert entry.actor == staff("admin") and entry.chain == "DEMO-PL"
    assert entry.object_id == str(outbox["failed"].pk)


def test_the_retry_service_leaves_rows_that_did_not_fail(outbox):
    assert outbox_retry(actor=None, messages=[outbox["sent"], outbox["code"]]) == 0
    assert outbox_retry(actor=None, messages=[outbox["failed"]]) == 1
    outbox["failed"].refresh_from_db()
    assert outbox["failed"].state == State.PENDING


def test_preferences_are_the_superusers_only(outbox):
    from xaso.notify.services import notification_preference_set

    notification_preference_set(phone="0912345678", channels=["sms"])
    url = "/admin/notify/notificationpreference/"
    assert client_for(staff("admin")).get(url).status_code == 403
    root = User.objects.create(username="root", is_staff=True, is_superuser=True)
    response = client_for(root).get(url)
    assert response.status_code == 200 and b"0912345678" in response.content
