"""The staff second factor: required of leaders and administrators (and of everyone where the
commune says so), enrolment with a QR and recovery codes, the code after the password, and the
API token that asks for it. Every code is computed at the tests' frozen moment."""

import base64
import re

import pytest
from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.helpers.api import ApiClient, assert_error
from tests.helpers.second_factor import totp_code
from tests.helpers.world import PASSWORD
from xaso.accounts.models import SecondFactorPolicy
from xaso.accounts.services import recovery_codes_renew, totp_enrol_with_secret
from xaso.accounts.step_up import step_up_verify
from xaso.core.errors import DomainError
from xaso.demo.seed import demo_totp_key

pytestmark = pytest.mark.django_db
TOKEN = "/api/v1/auth/token"
QUEUE = "/backoffice/queues/new/"


def password_only(user) -> Client:
    """Signed in with the password, the second factor not (yet) passed."""
    client = Client()
    client.force_login(user)
    return client


def enrolled(user):
    return totp_enrol_with_secret(user=user, secret_hex=demo_totp_key())


def test_an_admin_without_a_second_factor_cannot_reach_the_back_office(world):
    client = password_only(world.user("commune_admin"))
    for url in (QUEUE, "/backoffice/admin/staff/", "/backoffice/security/", "/admin/"):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/backoffice/second-factor/enrol/"), url
    # Nor does the session open the API.
    assert_error(client.get("/api/v1/me"), 401, "unauthenticated")
    # A reception officer (no second factor required) works as before.
    assert password_only(world.user("reception")).get(QUEUE).status_code == 200


def test_enrolment_shows_the_qr_then_the_recovery_codes_once(world):
    admin = world.user("commune_admin")
    client = password_only(admin)
    page = client.get("/backoffice/second-factor/enrol/").content.decode()
    assert 'src="data:image/svg+xml' in page  # the QR of the otpauth:// address
    secret = re.search(r"data-secret>([A-Z2-7 ]+)<", page).group(1).replace(" ", "")
    wrong = client.post("/backoffice/second-factor/enrol/", {"otp": "000000"})
    assert wrong.status_code == 400
    device = TOTPDevice.objects.get(user=admin, confirmed=False)
    assert base64.b32encode(device.bin_key).decode().rstrip("=") == secret
    device.throttling_failure_count = 0  # the wrong try made it wait a second
    device.save()
    totp = TOTP(device.bin_key)  # the app, from the secret it scanned, at the frozen moment
    totp.time = timezone.now().timestamp()
    code = f"{totp.token():06d}"
    done = client.post("/backoffice/second-factor/enrol/", {"otp": code, "next": "/backoffice/"})
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert done.status_code == 200 and len(codes) == 10
    assert client.get(QUEUE).status_code == 200  # this session passed it
    assert client.get("/backoffice/security/").status_code == 200
    # A later session: the code page; a recovery code opens it once.
    later = password_only(admin)
    assert later.get(QUEUE)["Location"].startswith("/backoffice/second-factor/?next=")
    assert later.post("/backoffice/second-factor/", {"otp": codes[0]}).status_code == 302
    assert later.get(QUEUE).status_code == 200
    again = password_only(admin)
    assert again.post("/backoffice/second-factor/", {"otp": codes[0]}).status_code == 400


def test_the_code_page_takes_the_current_code_only(world):
    leader = world.user("leader")
    enrolled(leader)
    client = password_only(leader)
    right = totp_code(leader)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    assert client.post("/backoffice/second-factor/", {"otp": wrong}).status_code == 400
    assert client.get("/backoffice/leader/").status_code == 302  # still gated
    TOTPDevice.objects.filter(user=leader).update(throttling_failure_count=0)
    response = client.post(
        "/backoffice/second-factor/", {"otp": right, "next": "/backoffice/leader/"}
    )
    assert (response.status_code, response["Location"]) == (302, "/backoffice/leader/")
    assert client.get("/backoffice/leader/").status_code == 200
    # The same code is not accepted twice (another session replaying it).
    assert (
        password_only(leader).post("/backoffice/second-factor/", {"otp": right}).status_code == 400
    )


def test_a_stolen_password_cannot_replace_the_authenticator(world):
    leader = world.user("leader")
    device = enrolled(leader)
    client = password_only(leader)
    response = client.get("/backoffice/second-factor/enrol/")
    assert response["Location"] == "/backoffice/second-factor/"
    assert list(leader.totpdevice_set.values_list("pk", flat=True)) == [device.pk]


def test_a_commune_may_require_it_of_every_officer(world):
    SecondFactorPolicy.objects.create(commune=world.commune, required_for_all=True)
    response = password_only(world.user("reception")).get(QUEUE)
    assert response["Location"].startswith("/backoffice/second-factor/enrol/")
    # The other commune's reception is not concerned.
    assert password_only(world.user("other_reception")).get(QUEUE).status_code == 200


def test_only_the_communes_administrator_sets_the_rule(world):
    url = "/backoffice/admin/security/"
    for key in ("leader", "reception"):
        client = password_only(world.user(key))
        if key == "leader":
            enrolled(world.user(key))
            client.post("/backoffice/second-factor/", {"otp": totp_code(world.user(key))})
        assert client.post(url, {"required_for_all": "1"}).status_code == 404, key
    assert not SecondFactorPolicy.objects.exists()
    admin = world.user("commune_admin")
    enrolled(admin)
    client = password_only(admin)
    client.post("/backoffice/second-factor/", {"otp": totp_code(admin)})
    assert client.post(url, {"required_for_all": "1"}).status_code == 302
    assert SecondFactorPolicy.objects.get().commune == world.commune


def test_the_api_token_asks_for_the_code(world):
    leader = world.user("leader")
    api = ApiClient()
    body = {"username": "leader", "password": PASSWORD}
    # Required, but nothing enrolled yet: enrolment is in the back office.
    assert_error(api.post(TOKEN, body), 403, "otp_not_enrolled")
    enrolled(leader)
    assert_error(api.post(TOKEN, body), 401, "otp_required")
    right = totp_code(leader)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    assert_error(api.post(TOKEN, {**body, "otp": wrong}), 401, "otp_invalid")
    TOTPDevice.objects.filter(user=leader).update(throttling_failure_count=0)
    response = api.post(TOKEN, {**body, "otp": right})
    assert response.status_code == 200, response.content
    assert ApiClient(token=response.json()["token"]).get("/api/v1/me").status_code == 200
    # A recovery code serves too, once.
    recovery = recovery_codes_renew(user=leader)[0]
    assert api.post(TOKEN, {**body, "otp": recovery}).status_code == 200
    assert_error(api.post(TOKEN, {**body, "otp": recovery}), 401, "otp_invalid")
    # Who needs none gets a token with the password alone.
    plain = {"username": "reception", "password": PASSWORD}
    assert api.post(TOKEN, plain).status_code == 200


def test_the_step_up_takes_the_code_or_without_an_authenticator_the_password(world):
    reception = world.user("reception")
    for kwargs, code in (({}, "password_required"), ({"password": "nope"}, "password_invalid")):
        with pytest.raises(DomainError) as failure:
            step_up_verify(reception, **kwargs)
        assert failure.value.code == code
    step_up_verify(reception, password=PASSWORD)
    leader = world.user("leader")
    enrolled(leader)
    with pytest.raises(DomainError) as failure:
        step_up_verify(leader, password=PASSWORD)  # the password no longer does
    assert failure.value.code == "otp_required"
    step_up_verify(leader, otp=totp_code(leader))
