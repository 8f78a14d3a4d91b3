from datetime import timedelta

from axes.models import AccessAttempt
from django.utils import timezone

from tests.helpers.api import ApiClient, assert_error
from tests.helpers.second_factor import totp_code
from tests.helpers.world import PASSWORD
from xaso.accounts.models import ApiToken
from xaso.accounts.services import token_revoke, totp_enrol_with_secret
from xaso.demo.seed import demo_totp_key


def test_token_then_me(world, api):
    response = api.post("/api/v1/auth/token", {"username": "reception", "password": PASSWORD})
    assert response.status_code == 200
    token = response.json()["token"]
    me = ApiClient(token=token).get("/api/v1/me")
    assert me.status_code == 200
    assert me.json() == {
        "username": "reception",
        "full_name": "Cán bộ reception",
        "memberships": [{"commune": "T-A", "role": "reception"}],
    }
    # Only a hash is stored.
    assert not ApiToken.objects.filter(key_hash=token).exists()


def test_province_viewer_membership_names_the_province(world, api):
    me = api.as_user(world.user("province_viewer")).get("/api/v1/me")
    assert me.json()["memberships"] == [{"province": "66", "role": "province_viewer"}]


def test_wrong_password_is_401_and_unknown_user_the_same(world, api):
    wrong = api.post("/api/v1/auth/token", {"username": "reception", "password": "nope"})
    assert_error(wrong, 401, "invalid_credentials")
    unknown = api.post("/api/v1/auth/token", {"username": "ghost", "password": "nope"})
    assert_error(unknown, 401, "invalid_credentials")
    assert_error(api.post("/api/v1/auth/token", {"username": "x"}), 400, "invalid")


def test_bad_expired_and_revoked_tokens_are_401(world, api):
    assert_error(ApiClient(token="xaso_forged").get("/api/v1/me"), 401, "unauthenticated")
    assert_error(api.get("/api/v1/me"), 401, "unauthenticated")
    client = api.as_user(world.user("leader"))
    assert client.get("/api/v1/me").status_code == 200
    token = ApiToken.objects.filter(user=world.user("leader")).latest("id")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_error(client.get("/api/v1/me"), 401, "unauthenticated")
    client = api.as_user(world.user("leader"))
    token_revoke(actor=world.user("leader"), token=ApiToken.objects.latest("id"))
    assert_error(client.get("/api/v1/me"), 401, "unauthenticated")


def test_deactivated_user_token_stops_working(world, api):
    client = api.as_user(world.user("specialist"))
    world.user("specialist").is_active = False
    world.user("specialist").save()
    assert_error(client.get("/api/v1/me"), 401, "unauthenticated")


def test_lockout_after_repeated_failures_on_that_username_from_that_address(world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    office = ApiClient(remote_addr="198.51.100.7")
    for _attempt in range(2):
        response = office.post("/api/v1/auth/token", {"username": "specialist", "password": "bad"})
        assert_error(response, 401, "invalid_credentials")
    assert_error(
        office.post("/api/v1/auth/token", {"username": "specialist", "password": "bad"}),
        429,
        "login_locked",
    )
    # Locked even with the right password now...
    right = {"username": "specialist", "password": PASSWORD}
    assert_error(office.post("/api/v1/auth/token", right), 429, "login_locked")
    # ...but not a colleague at the same office, nor the same user from elsewhere.
    colleague = {"username": "reception", "password": PASSWORD}
    assert office.post("/api/v1/auth/token", colleague).status_code == 200
    assert ApiClient(remote_addr="192.0.2.1").post("/api/v1/auth/token", right).status_code == 200
    # After the cool-off, the user gets in again.
    AccessAttempt.objects.update(attempt_time=timezone.now() - settings.AXES_COOLOFF_TIME * 2)
    assert office.post("/api/v1/auth/token", right).status_code == 200


def test_passwords_are_hashed_with_argon2_in_production_settings():
    from xaso import settings as production

    assert production.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_f10_behind_the_proxy_the_lockout_is_keyed_on_the_client_not_the_proxy(world, settings):
    """Behind the documented proxy (XASO_PROXY_HOPS = 1) every request comes from the proxy's
    address: an attacker failing on the leader's account locks it only from his own address."""
    settings.AXES_FAILURE_LIMIT = 3
    settings.XASO_PROXY_HOPS = 1
    bad = {"username": "leader", "password": "bad"}

    def via_proxy(client_address: str, body: dict):
        # What the client writes itself (the left part) is never believed.
        forwarded = f"192.0.2.55, {client_address}"
        return ApiClient(remote_addr="10.0.0.2").post(
            "/api/v1/auth/token", body, HTTP_X_FORWARDED_FOR=forwarded
        )

    for _attempt in range(3):
        via_proxy("203.0.113.66", bad)
    totp_enrol_with_secret(user=world.user("leader"), secret_hex=demo_totp_key())
    right = {"username": "leader", "password": PASSWORD, "otp": totp_code(world.user("leader"))}
    assert_error(via_proxy("203.0.113.66", right), 429, "login_locked")
    assert via_proxy("198.51.100.20", right).status_code == 200  # the leader, at the office
    assert AccessAttempt.objects.get().ip_address == "203.0.113.66"
