"""A JSON API client for tests: `api.as_user(user).get(...)` with a real bearer token."""

import json
from datetime import timedelta

from django.test import Client

from xaso.accounts.models import ApiToken
from xaso.accounts.services import token_issue


class ApiClient:
    def __init__(self, token: str | None = None, remote_addr: str = "203.0.113.10"):
        self.client = Client(REMOTE_ADDR=remote_addr)
        self.token = token

    def as_user(self, user) -> "ApiClient":
        """With a real token; valid for 60 days, as tests move the clock by days after making
        their clients (a token's own life is tested in tests/accounts/test_tokens.py)."""
        raw, token = token_issue(user=user)
        ApiToken.objects.filter(pk=token.pk).update(expires_at=token.created_at + timedelta(60))
        return ApiClient(token=raw)

    def request(self, method: str, path: str, body=None, **headers):
        if self.token:
            headers.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.token}")
        data = (
            body
            if isinstance(body, str | bytes)
            else json.dumps(body)
            if body is not None
            else None
        )
        return self.client.generic(
            method, path, data=data or "", content_type="application/json", **headers
        )

    def get(self, path, **headers):
        return self.request("GET", path, **headers)

    def post(self, path, body=None, **headers):
        return self.request("POST", path, body, **headers)

    def patch(self, path, body=None, **headers):
        return self.request("PATCH", path, body, **headers)


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, (response.status_code, response.content[:500])
    body = response.json()
    assert set(body) == {"error"}, body
    assert body["error"]["code"] == code, body
    assert body["error"]["message"], body
    return body["error"]


def submit(client: ApiClient, body: dict, status: int = 201) -> dict:
    """POST /api/v1/dossiers, expecting `status`; the answer's JSON."""
    response = client.post("/api/v1/dossiers", body)
    assert response.status_code == status, response.content
    return response.json()


def act(client: ApiClient, code: str, action: str, body=None, status: int = 200) -> dict:
    """POST one workflow action on a dossier, expecting `status`; the answer's JSON."""
    response = client.post(f"/api/v1/dossiers/{code}/{action}", body or {})
    assert response.status_code == status, response.content
    return response.json()
