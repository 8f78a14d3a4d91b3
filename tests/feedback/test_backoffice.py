"""The officers' feedback pages: queues with overdue marks, the actions of the table, scoping."""

import pytest
from django.test import Client

from xaso.core.models import AuditEntry
from xaso.feedback import services
from xaso.feedback.models import Feedback

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies["django_language"] = "en"
    return client


def filed(world, **extra) -> Feedback:
    return services.feedback_file(
        actor=None, commune_code="T-A", category="environment", phone="0912345678",
        text="Rác đổ bên suối đầu buôn.", village_code="loc-tan", **extra,
    )  # fmt: skip


def test_the_queue_marks_what_is_overdue_and_the_page_routes_it(world, at):
    at(2026, 11, 20, 16)
    item = filed(world)
    at(2026, 11, 26, 9)
    client = signed_in(world.user("reception"))
    page = client.get("/backoffice/feedback/?queue=overdue").content.decode()
    assert item.code in page and 'class="overdue"' in page and "overdue</strong>" in page
    assert 'href="/backoffice/feedback/"' in client.get("/backoffice/queues/new/").content.decode()
    detail = client.get(f"/backoffice/feedback/{item.code}/").content.decode()
    assert "0912345678" in detail and 'id="action-classify"' in detail
    assert AuditEntry.objects.filter(action="personal_data.view", object_id=item.code).exists()
    response = client.post(
        f"/backoffice/feedback/{item.code}/", {"action": "classify", "unit": "Địa chính"}
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == "handling" and item.unit == "Địa chính"
    assert AuditEntry.objects.filter(action="feedback.classify", object_id=item.code).exists()


def test_another_communes_officer_gets_404(world):
    item = filed(world)
    client = signed_in(world.user("other_reception"))
    assert client.get(f"/backoffice/feedback/{item.code}/").status_code == 404
    response = client.post(
        f"/backoffice/feedback/{item.code}/", {"action": "reject", "reason": "x"}
    )
    assert response.status_code == 404
    assert item.code not in client.get("/backoffice/feedback/").content.decode()
    item.refresh_from_db()
    assert item.state == "received"
