"""No staff endpoint gives anything to a user of another commune, or to a role that may not use it.

Runs over every operation tagged "staff" in the OpenAPI schema (see tests/helpers/staff_endpoints).
"""

import pytest

from tests.helpers.api import assert_error
from tests.helpers.staff_endpoints import (
    ADMIN_REFUSED,
    LISTS,
    ROLES_TESTED_ELSEWHERE,
    staff_operations,
)
from xaso.core.models import AuditEntry

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
        assert error["code"] in {"commune_not_found", "dossier_not_found"}
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
