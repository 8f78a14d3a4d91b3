"""F6: API tokens live 8 hours by default, end with a password change, and are listed and
revoked by their owner and by their commune's administrator — never by another commune's."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.helpers.api import ApiClient, assert_error
from tests.helpers.second_factor import verified_client
from xaso.accounts.models import ApiToken
from xaso.accounts.services import token_issue

pytestmark = pytest.mark.django_db


def test_a_token_does_not_survive_a_password_change(world):
    user = world.user("specialist")
    client = ApiClient().as_user(user)
    assert client.get("/api/v1/me").status_code == 200
    user.set_password("a new and long passphrase")
    user.save()
    assert_error(client.get("/api/v1/me"), 401, "unauthenticated")
    assert ApiToken.objects.get(user=user).revoked_at is not None


def test_a_token_lives_eight_hours_unless_configured(world, settings):
    _raw, token = token_issue(user=world.user("reception"))
    assert abs(token.expires_at - timezone.now() - timedelta(hours=8)) < timedelta(seconds=5)
    settings.API_TOKEN_TTL = timedelta(hours=2)
    _raw, token = token_issue(user=world.user("reception"))
    assert abs(token.expires_at - timezone.now() - timedelta(hours=2)) < timedelta(seconds=5)


def test_the_owner_lists_and_revokes_their_own_tokens(world):
    user = world.user("specialist")
    client = ApiClient().as_user(user)
    spare, _token = token_issue(user=user)
    listed = client.get("/api/v1/auth/tokens").json()
    assert len(listed) == 2 and {row["username"] for row in listed} == {"specialist"}
    spare_id = ApiToken.objects.latest("id").pk
    assert client.post(f"/api/v1/auth/tokens/{spare_id}/revoke").status_code == 204
    assert_error(ApiClient(token=spare).get("/api/v1/me"), 401, "unauthenticated")
    assert len(client.get("/api/v1/auth/tokens").json()) == 1


def test_a_colleague_and_another_communes_admin_see_and_revoke_nothing(world):
    raw, token = token_issue(user=world.user("specialist"))
    for key in ("reception", "other_commune_admin", "far_viewer"):
        outsider = ApiClient().as_user(world.user(key))
        assert {row["id"] for row in outsider.get("/api/v1/auth/tokens").json()} & {
            token.pk
        } == set(), key
        response = outsider.post(f"/api/v1/auth/tokens/{token.pk}/revoke")
        assert_error(response, 404, "token_not_found")
    assert ApiClient(token=raw).get("/api/v1/me").status_code == 200


def test_the_communes_admin_lists_and_revokes_the_staffs_tokens(world):
    raw, token = token_issue(user=world.user("specialist"))
    admin = ApiClient().as_user(world.user("commune_admin"))
    assert token.pk in {row["id"] for row in admin.get("/api/v1/auth/tokens").json()}
    assert admin.post(f"/api/v1/auth/tokens/{token.pk}/revoke").status_code == 204
    assert_error(ApiClient(token=raw).get("/api/v1/me"), 401, "unauthenticated")


def test_the_back_office_pages_list_and_revoke(world):
    raw, token = token_issue(user=world.user("specialist"))
    mine = verified_client(world.user("specialist"))
    page = mine.get("/backoffice/security/").content.decode()
    assert f'data-token="{token.pk}"' in page and token.prefix in page
    # Another commune's administrator: not on their page, and revoking is "not found".
    other = verified_client(world.user("other_commune_admin"))
    assert (
        f'data-token="{token.pk}"' not in other.get("/backoffice/admin/security/").content.decode()
    )
    assert other.post(f"/backoffice/security/tokens/{token.pk}/revoke/").status_code == 404
    assert ApiClient(token=raw).get("/api/v1/me").status_code == 200
    # The commune's administrator sees it and revokes it.
    admin = verified_client(world.user("commune_admin"))
    assert f'data-token="{token.pk}"' in admin.get("/backoffice/admin/security/").content.decode()
    response = admin.post(f"/backoffice/security/tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert_error(ApiClient(token=raw).get("/api/v1/me"), 401, "unauthenticated")
    assert Client().post(f"/backoffice/security/tokens/{token.pk}/revoke/").status_code == 302
