"""The second factor in tests: the code an authenticator app shows at the (frozen) moment, and
page clients that passed it the way an officer does (password, then the code)."""

from django.test import Client
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice


def totp_code(user) -> str:
    """The code of `user`'s authenticator now on Django's clock. A code once accepted is refused
    again (replay), so after one was used in this 30-second step, the next step's code: an app
    whose clock runs a little ahead shows it, and the server accepts it (tolerance 1 step)."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = timezone.now().timestamp()
    if totp.t() < device.last_t - device.tolerance:
        # The test moved the clock back before a code already used (never so in use): the
        # device forgets that later step, as a fresh enrolment would.
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1)
        device.last_t = -1
    if totp.t() <= device.last_t:
        totp.time += (device.last_t + 1 - totp.t()) * device.step
    return f"{totp.token():0{device.digits}d}"


def verified_client(user, client: Client | None = None) -> Client:
    """A page client signed in as `user` and, where `user` needs a second factor, past it with
    the authenticator's current code (one set up with the demo's secret if `user` has none)."""
    from xaso.accounts.second_factor import second_factor_needed
    from xaso.accounts.services import totp_enrol_with_secret
    from xaso.demo.seed import demo_totp_key

    client = client or Client()
    client.force_login(user)
    if second_factor_needed(user):
        if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
            totp_enrol_with_secret(user=user, secret_hex=demo_totp_key())
        response = client.post("/backoffice/second-factor/", {"otp": totp_code(user)})
        assert response.status_code == 302, response.content[:300]
    return client
