"""Who needs a second factor, and checking a code: TOTP (an authenticator app, RFC 6238) or a
one-time recovery code, with django-otp's devices.

Leaders (they sign) and commune administrators (they grant roles) always need it; a commune may
require it of every officer (`SecondFactorPolicy`); superusers too (the Django admin). Whoever
has enrolled an authenticator uses it, required or not. A community team member is no officer:
the commune's rule for every officer does not reach their `community_member` role (their own
workspace and the field log's API work with the password alone).

TOTP codes are checked on Django's clock (`timezone.now`), not `time.time()` as django-otp's own
`verify_token` does: time is an input here, and the tests run at a frozen moment.
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from .errors import OtpInvalid, OtpNotEnrolled, OtpRequired
from .models import COMMUNE_ROLES, Membership, Role

SECOND_FACTOR_ROLES = (Role.LEADER, Role.COMMUNE_ADMIN)
# The roles a commune's "every officer" rule reaches: all of a commune's but the team members'.
OFFICER_ROLES = tuple(sorted(COMMUNE_ROLES - {Role.COMMUNITY_MEMBER}))


def second_factor_required(user) -> bool:
    """Whether this account may not work without a second factor."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    return (
        Membership.objects.filter(user=user, commune__isnull=False)
        .filter(
            Q(role__in=SECOND_FACTOR_ROLES)
            | Q(commune__second_factor_policy__required_for_all=True, role__in=OFFICER_ROLES)
        )
        .exists()
    )


def totp_device(user, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-id").first()


def has_second_factor(user) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def second_factor_needed(user) -> bool:
    """Whether a session or a token of this user must pass a second factor: enrolled, or
    required (one query: it runs on every request of a session that has not passed it)."""
    if not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    from .models import User

    return (
        User.objects.filter(pk=user.pk)
        .filter(
            Q(totpdevice__confirmed=True)
            | Q(memberships__commune__isnull=False, memberships__role__in=SECOND_FACTOR_ROLES)
            # One membership both under the rule and an officer's (the same join).
            | Q(
                memberships__commune__second_factor_policy__required_for_all=True,
                memberships__role__in=OFFICER_ROLES,
            )
        )
        .exists()
    )


def recovery_codes_left(user) -> int:
    device = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return device.token_set.count() if device else 0


def totp_verify(device: TOTPDevice, code: str) -> bool:
    """django-otp's `TOTPDevice.verify_token` on Django's clock: throttled after a failure, and a
    code once accepted is not accepted again (`last_t`)."""
    allowed, _details = device.verify_is_allowed()
    if not allowed:
        return False
    code = "".join(code.split())
    verified = False
    if code.isdigit() and len(code) == device.digits:
        totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
        totp.time = timezone.now().timestamp()
        verified = totp.verify(int(code), device.tolerance, device.last_t + 1)
    if verified:
        device.last_t = totp.t()
        device.throttle_reset(commit=False)
        device.set_last_used_timestamp(commit=False)
        device.save()
    else:
        device.throttle_increment(commit=True)
    return verified


def otp_match(user, code: str):
    """The device that accepts `code` (the authenticator's code or one recovery code, which is
    then used up), or None. Row-locked, so that one code is not accepted twice at once."""
    code = "".join((code or "").split())
    if not code:
        return None
    with transaction.atomic():
        for device in TOTPDevice.objects.select_for_update().filter(user=user, confirmed=True):
            if totp_verify(device, code):
                return device
        if not code.isdigit():  # recovery codes are letters and digits (base32)
            for device in StaticDevice.objects.select_for_update().filter(
                user=user, confirmed=True
            ):
                if device.verify_token(code.lower()):
                    return device
    return None


def second_factor_check(user, code: str):
    """For a sign-in without a session (the API token): nothing when the account needs no second
    factor, else the device that accepted `code`; raises `otp_required`, `otp_invalid` or
    `otp_not_enrolled`."""
    if not second_factor_needed(user):
        return None
    if not has_second_factor(user):
        raise OtpNotEnrolled()
    if not (code or "").strip():
        raise OtpRequired()
    device = otp_match(user, code)
    if device is None:
        raise OtpInvalid()
    return device
