"""The admin edits the calendar through the services: audited, and due dates follow at once."""

from datetime import date, datetime

import pytest

from tests.helpers.second_factor import verified_client
from xaso.accounts.models import User
from xaso.core.models import AuditEntry
from xaso.workdays.engine import TZ, TimeLimit
from xaso.workdays.models import CalendarChange, ServiceRule
from xaso.workdays.selectors import due_date_for_limit

RECEIVED = datetime(2026, 3, 2, 9, tzinfo=TZ)


def due() -> datetime:
    limit = TimeLimit(3, "working_days")
    return due_date_for_limit(commune="T-A", received_at=RECEIVED, limit=limit).due_at


@pytest.fixture
def superuser_client(client, world):
    user = User.objects.create_superuser("root", password="correct horse battery staple")
    return verified_client(user, client)  # a superuser passes the second factor too


def test_a_day_off_added_in_the_admin_moves_due_dates_at_once(superuser_client, official_2026):
    assert due() == datetime(2026, 3, 5, 17, tzinfo=TZ)
    response = superuser_client.post(
        "/admin/workdays/calendarchange/add/",
        {
            "date": "2026-03-03",
            "kind": "day_off",
            "province": "",
            "verified": "",
            "legal_reference": "Quyết định số 1/QĐ-UBND (thử)",
            "note": "Nghỉ đột xuất",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert due() == datetime(2026, 3, 6, 17, tzinfo=TZ)
    entry = AuditEntry.objects.get(action="calendar_change.create")
    assert entry.actor.username == "root" and entry.object_id == "national/2026-03-03"

    change = CalendarChange.objects.get(date=date(2026, 3, 3))
    response = superuser_client.post(
        f"/admin/workdays/calendarchange/{change.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert due() == datetime(2026, 3, 5, 17, tzinfo=TZ)
    assert AuditEntry.objects.filter(action="calendar_change.delete").count() == 1


def test_the_admin_refuses_a_makeup_day_on_a_weekday(superuser_client):
    response = superuser_client.post(
        "/admin/workdays/calendarchange/add/",
        {"date": "2026-03-04", "kind": "makeup_working_day", "legal_reference": "x"},
    )
    assert response.status_code == 200  # the form again, with the error
    assert not CalendarChange.objects.filter(date=date(2026, 3, 4)).exists()


def test_the_admin_pages_render(superuser_client, official_2026):
    for page in ("calendarchange", "officehours", "calendarsettings", "servicerule"):
        assert superuser_client.get(f"/admin/workdays/{page}/").status_code == 200
        assert superuser_client.get(f"/admin/workdays/{page}/add/").status_code == 200


def test_a_rule_saved_in_the_admin_is_audited(superuser_client, world):
    response = superuser_client.post(
        "/admin/workdays/servicerule/add/",
        {
            "commune": world.commune.pk,
            "kind": "friday_same_day",
            "enabled": "on",
            "weekday": 4,
            "procedure_codes": "[]",
            "note": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    assert ServiceRule.objects.get(commune=world.commune).enabled
    assert AuditEntry.objects.filter(action="service_rule.update", chain="T-A").count() == 1
