"""F8, F11: anonymous drafts and every endpoint that checks a secret sent by the client are
limited per address (xaso.core.ratelimit); one budget for all the secret checks."""

import pytest

from tests.dossiers.conftest import submission
from tests.helpers.api import ApiClient, assert_error
from xaso.dossiers.models import Draft


def test_f8_anonymous_drafts_are_limited_per_address(demo, settings):
    settings.XASO_RATE_ANON_SUBMIT = "3/m"
    body = {"procedure": "1.001193", "commune": "DEMO-PL", "form": {"note": "x" * 1000}}
    client = ApiClient()
    for _ in range(3):
        assert client.post("/api/v1/drafts", body).status_code == 201
    assert_error(client.post("/api/v1/drafts", body), 429, "rate_limited")
    assert Draft.objects.count() == 3
    assert ApiClient(remote_addr="203.0.113.99").post("/api/v1/drafts", body).status_code == 201
    # An officer at the desk (token) is not limited.
    assert ApiClient().as_user(demo["reception"]).post("/api/v1/drafts", body).status_code == 201


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("POST", "/api/v1/dossiers/{code}/rate", {"secret": "WRONG", "score": 5}),
        ("POST", "/api/v1/dossiers/{code}/resubmit", {"secret": "WRONG", "form": {}}),
        ("GET", "/api/v1/dossiers/lookup?code={code}&secret=WRONG", None),
        ("GET", "/api/v1/notifications/preferences?code={code}&secret=WRONG", None),
        ("GET", "/api/v1/results/download?code={code}&secret=WRONG", None),
        ("GET", "/api/v1/drafts/not-a-draft-token", None),
        ("PUT", "/api/v1/drafts/not-a-draft-token", {"form": {}}),
        ("DELETE", "/api/v1/drafts/not-a-draft-token", None),
    ],
)
def test_f11_each_secret_checked_endpoint_is_limited_and_shares_one_budget(
    demo, settings, method, path, body
):
    settings.XASO_RATE_LOOKUP = "3/m"
    code = ApiClient().post("/api/v1/dossiers", submission()).json()["code"]
    client = ApiClient()
    url = path.format(code=code)
    for _ in range(2):
        assert client.request(method, url, body).status_code in (400, 404)
    # Guessing on another endpoint spends the same budget.
    assert client.get(f"/api/v1/dossiers/lookup?code={code}&secret=WRONG").status_code == 404
    assert_error(client.request(method, url, body), 429, "rate_limited")
