"""Schemathesis over the whole API (issue 17 item 6): every operation of /api/v1/openapi.json gets
a few generated requests, anonymous and as an officer, on the demo world; none may answer a
server error. A bounded budget for the normal suite (deterministic examples, so CI is stable);
a long run is `schemathesis run` against a running server (docs/OPERATIONS.md)."""

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from xaso.accounts.models import COMMUNE_ROLES, Membership, User
from xaso.accounts.services import token_issue
from xaso.api import api
from xaso.places.models import Commune

EXAMPLES = 4
HOSTS = ["localhost", "testserver"]  # schemathesis's WSGI client calls http://localhost

# The schema /api/v1/openapi.json serves, built in-process (no request, no database at import).
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/v1"))
schema.app = get_wsgi_application()


@contextmanager
def connections_kept():
    """Like Django's test client: a request does not close the database connection (that would
    end the test's transaction)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def officer_headers(demo_seeded, settings) -> Iterator[dict]:
    """An officer holding every commune role in the demo commune, so that staff operations run
    past their permission checks."""
    settings.ALLOWED_HOSTS = HOSTS
    user = User.objects.create_user(username="fuzz-officer", password="not-used-0123456789")
    commune = Commune.objects.get(code="DEMO-PL")
    Membership.objects.bulk_create(
        Membership(user=user, role=role, commune=commune) for role in sorted(COMMUNE_ROLES)
    )
    raw, _token = token_issue(user=user)
    with connections_kept():
        yield {"Authorization": f"Bearer {raw}"}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_no_operation_answers_a_server_error(case, officer_headers):
    for headers in ({}, officer_headers):
        response = case.call(headers=headers)
        assert response.status_code < 500, (
            f"{case.method} {case.formatted_path} → {response.status_code}\n"
            f"{case.as_curl_command(headers=headers)}\n{response.text[:2000]}"
        )
