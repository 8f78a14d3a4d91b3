"""The commune's "second factor for every officer" rule does not reach its community team
members: a member is no officer. They sign in with their password and use the workspace, the
field log's API with the workspace's session, and an API token."""

from django.conf import settings
from django.test import Client

from tests.helpers.api import ApiClient, assert_error
from xaso.accounts.models import SecondFactorPolicy
from xaso.places.models import Commune

from .conftest import entry


def test_the_every_officer_rule_leaves_team_members_out(demo):
    SecondFactorPolicy.objects.create(
        commune=Commune.objects.get(code="DEMO-PL"), required_for_all=True
    )
    member = Client()
    signed = member.post(
        "/to-cong-nghe-so/dang-nhap/",
        {"username": "community", "password": settings.XASO_DEMO_PASSWORD},
    )
    assert signed.status_code == 302
    assert member.get("/to-cong-nghe-so/").status_code == 200
    assert member.get("/to-cong-nghe-so/nop-ho-so/").status_code == 200
    # The field log's script sends entries with the session (and its CSRF token).
    member.get("/to-cong-nghe-so/nhat-ky/")
    csrf = member.cookies["csrftoken"].value
    sent = member.post(
        "/api/v1/community/activities", entry(), content_type="application/json",
        headers={"X-CSRFToken": csrf},
    )  # fmt: skip
    assert sent.status_code == 201, sent.content
    assert member.get("/api/v1/community/activities?mine=1").json()["items"]
    # An API token with the password alone.
    token = ApiClient().post(
        "/api/v1/auth/token", {"username": "community", "password": settings.XASO_DEMO_PASSWORD}
    )
    assert token.status_code == 200, token.content
    assert ApiClient(token=token.json()["token"]).get("/api/v1/me").status_code == 200
    # An officer of the same commune is caught by the rule: a password-only session is nobody's.
    officer = Client()
    officer.force_login(demo["reception"])
    assert_error(officer.get("/api/v1/me"), 401, "unauthenticated")
    assert officer.get("/backoffice/queues/new/")["Location"].startswith(
        "/backoffice/second-factor/"
    )
