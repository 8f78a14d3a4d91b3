"""No staff endpoint gives anything to a user of another commune, or to a role that may not use it.

Runs over every operation tagged "staff" in the OpenAPI schema (see tests/helpers/staff_endpoints).
"""

from datetime import timedelta

import pytest

from tests.helpers.api import assert_error
from tests.helpers.staff_endpoints import (
    ADMIN_REFUSED,
    LISTS,
    ROLES_TESTED_ELSEWHERE,
    staff_operations,
    world_attachment,
    world_dossier,
)
from xaso.core.models import AuditEntry
from xaso.dossiers import workflow
from xaso.dossiers.models import Dossier
from xaso.payments.models import Payment

OPERATIONS = staff_operations()


def test_the_staff_endpoints_are_found():
    assert {str(operation) for operation in OPERATIONS} >= {
        "GET /api/v1/communes/{code}/villages",
        "POST /api/v1/communes/{code}/villages",
        "PATCH /api/v1/communes/{code}/villages/{village_code}",
    }


@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_the_commune_admin_may_use_it(world, api, operation):
    """The sample request is valid: so the 404s below are about scope, not about a bad request."""
    response = api.as_user(world.user("commune_admin")).request(
        operation.method, operation.url(world), operation.body(world)
    )
    if operation.key in ADMIN_REFUSED:
        assert_error(response, 403, "forbidden")
    else:
        assert 200 <= response.status_code < 300, response.content


@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
@pytest.mark.parametrize(
    "intruder", ["other_commune_admin", "other_reception", "far_viewer", "citizen"]
)
def test_a_user_of_another_commune_gets_404(world, api, operation, intruder):
    url, body = operation.url(world), operation.body(world)
    audit_rows = AuditEntry.objects.count()
    response = api.as_user(world.user(intruder)).request(operation.method, url, body)
    if operation.key in LISTS:
        assert response.status_code == 200 and response.json()["items"] == []
    else:
        error = assert_error(response, 404, response.json()["error"]["code"])
        assert error["code"] in {
            "commune_not_found",
            "dossier_not_found",
            "request_not_found",
            "team_not_found",
            "announcement_not_found",
            "bulletin_not_found",
            "feedback_not_found",
        }
    assert AuditEntry.objects.count() == audit_rows + 1  # only the token issue, nothing else


@pytest.mark.parametrize("operation", OPERATIONS, ids=str)
def test_anonymous_gets_401(world, api, operation):
    response = api.request(operation.method, operation.url(world), operation.body(world))
    assert_error(response, 401, "unauthenticated")


@pytest.mark.parametrize(
    "operation",
    [op for op in OPERATIONS if op.writes and op.key not in ROLES_TESTED_ELSEWHERE],
    ids=str,
)
@pytest.mark.parametrize(
    "role", ["reception", "specialist", "leader", "community_member", "province_viewer"]
)
def test_roles_that_may_not_write_get_403(world, api, operation, role):
    response = api.as_user(world.user(role)).request(
        operation.method, operation.url(world), operation.body(world)
    )
    assert_error(response, 403, "forbidden")


# --- a dossier received in one commune for another's decision (F3) -----------------------------

ACTION_OPERATION = next(
    op for op in OPERATIONS if op.path == "/api/v1/dossiers/{dossier_code}/{action}"
)
FEE_OPERATIONS = [
    op
    for op in OPERATIONS
    if op.writes and op.path.startswith("/api/v1/dossiers/{dossier_code}/payments/")
]
STAFF_ROWS = [
    (row, role)
    for row in workflow.TABLE
    if row.source != workflow.NEW
    for role in sorted(row.actors - {workflow.CITIZEN, workflow.SYSTEM})
]


def forwarded_dossier(world, state: str) -> Dossier:
    """The world dossier, received at the world's commune for the other commune's decision."""
    dossier = world_dossier(world)
    dossier.deciding_commune = world.other_commune
    dossier.state = state
    dossier.assigned_to = world.user("other_specialist")
    dossier.save()
    return dossier


@pytest.mark.parametrize(
    ("row", "role"),
    STAFF_ROWS,
    ids=[f"{row.source}-{row.action}-{role}" for row, role in STAFF_ROWS],
)
def test_f3_each_step_is_taken_only_by_the_commune_whose_step_it_is(world, api, row, role):
    """The receiving commune's desk receives, refuses, asks for supplements, resumes, returns and
    withdraws; the deciding commune's staff assign, process, propose, decide and sign. The same
    role at the other commune of the dossier is refused (403), and nothing changes."""
    dossier = forwarded_dossier(world, row.source)
    own, other = (role, f"other_{role}")
    if row.step == workflow.DECIDING:
        own, other = other, own
    url = ACTION_OPERATION.path.replace("{dossier_code}", dossier.code).replace(
        "{action}", row.action.replace("_", "-")
    )
    later = (dossier.due_at + timedelta(days=3)).isoformat()
    body = {"items": ["Bản sao giấy tờ"], "reason": "Thử", "note": "Thử", "channel": "counter",
            "to": "other-specialist", "new_due_at": later}  # fmt: skip
    audit_rows = AuditEntry.objects.count()
    refused = api.as_user(world.user(other)).post(url, body)
    assert_error(refused, 403, "forbidden")
    dossier.refresh_from_db()
    assert dossier.state == row.source
    assert AuditEntry.objects.count() == audit_rows + 1  # only the token issue
    allowed = api.as_user(world.user(own)).post(url, body)  # may still fail for other reasons
    assert allowed.status_code != 403 and b"dossier_not_found" not in allowed.content


@pytest.mark.parametrize("operation", FEE_OPERATIONS, ids=str)
def test_f3_the_fee_is_taken_by_the_receiving_communes_desk_only(world, api, operation):
    """Cash, exemptions and amounts are the receiving commune's (its account, its receipt series):
    the deciding commune's desk is refused."""
    forwarded_dossier(world, "received")
    url, body = operation.url(world), operation.body(world)
    assert_error(api.as_user(world.user("other_reception")).post(url, body), 403, "forbidden")
    assert not Payment.objects.exists()
    answer = api.as_user(world.user("reception")).post(url, body)  # may fail for other reasons
    assert answer.status_code != 403 and b"dossier_not_found" not in answer.content


def test_f7_a_community_member_sees_only_the_dossiers_they_filed(world, api):
    mine = world_dossier(world)
    member = world.user("community_member")
    client = api.as_user(member)
    assert client.get("/api/v1/dossiers").json()["items"] == []
    assert_error(client.get(f"/api/v1/dossiers/{mine.code}"), 404, "dossier_not_found")
    token = world_attachment(world).upload.token
    assert_error(client.get(f"/api/v1/dossiers/{mine.code}/attachments/{token}"), 404,
                 "dossier_not_found")  # fmt: skip
    mine.channel, mine.written_by = "community", member
    mine.save()
    assert [item["code"] for item in client.get("/api/v1/dossiers").json()["items"]] == [mine.code]
    assert client.get(f"/api/v1/dossiers/{mine.code}").status_code == 200
