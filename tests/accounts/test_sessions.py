"""Staff sessions: signed out after 30 minutes idle and after 8 hours in all; listed, and each
one signed out from the list (by its owner or their commune's administrator)."""

import pytest

from tests.dossiers.conftest import at  # noqa: F401
from tests.helpers.second_factor import verified_client
from xaso.accounts.models import StaffSession

pytestmark = pytest.mark.django_db
QUEUE = "/backoffice/queues/new/"


def signed_out(response) -> bool:
    return response.status_code == 302 and response["Location"].startswith("/backoffice/login/")


def test_idle_for_thirty_minutes_signs_out(world, at):  # noqa: F811
    at(2026, 11, 25, 9, 0)
    client = verified_client(world.user("reception"))
    at(2026, 11, 25, 9, 29)
    assert client.get(QUEUE).status_code == 200  # 29 minutes: still in, and seen again
    at(2026, 11, 25, 9, 58)
    assert client.get(QUEUE).status_code == 200
    at(2026, 11, 25, 10, 29)
    assert signed_out(client.get(QUEUE))
    assert StaffSession.objects.get().ended_at is not None


def test_eight_hours_in_all_sign_out_however_busy(world, at):  # noqa: F811
    at(2026, 11, 25, 8, 0)
    client = verified_client(world.user("reception"))
    for hour in range(8, 16):
        for minute in (0, 20, 40):
            at(2026, 11, 25, hour, minute)
            assert client.get(QUEUE).status_code == 200, (hour, minute)
    at(2026, 11, 25, 16, 1)
    assert signed_out(client.get(QUEUE))


def test_one_session_signs_another_out(world):
    user = world.user("specialist")
    office, phone = verified_client(user), verified_client(user)
    page = office.get("/backoffice/security/").content.decode()
    sessions = list(StaffSession.objects.filter(user=user, ended_at__isnull=True))
    assert len(sessions) == 2 and all(f'data-session="{s.pk}"' in page for s in sessions)
    phone_session = StaffSession.objects.get(session_key=phone.session.session_key)
    assert office.post(f"/backoffice/security/sessions/{phone_session.pk}/end/").status_code == 302
    assert signed_out(phone.get(QUEUE))
    assert office.get(QUEUE).status_code == 200


def test_another_communes_admin_cannot_sign_a_session_out(world):
    user = world.user("specialist")
    client = verified_client(user)
    session = StaffSession.objects.get(user=user)
    other = verified_client(world.user("other_commune_admin"))
    assert (
        f'data-session="{session.pk}"'
        not in other.get("/backoffice/admin/security/").content.decode()
    )
    assert other.post(f"/backoffice/security/sessions/{session.pk}/end/").status_code == 404
    assert client.get(QUEUE).status_code == 200
    admin = verified_client(world.user("commune_admin"))
    assert (
        f'data-session="{session.pk}"' in admin.get("/backoffice/admin/security/").content.decode()
    )
    admin.post(f"/backoffice/security/sessions/{session.pk}/end/")
    assert signed_out(client.get(QUEUE))
