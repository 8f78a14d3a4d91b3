"""Citizens sign in with their phone number and a one-time code (no password to forget).

    code = sign_in_code_issue(phone="0912345678", client_ip="1.2.3.4")  # then send it
    user = sign_in_code_verify(phone="0912345678", code="123456", client_ip="1.2.3.4")

Issuing is rate-limited per phone (nobody floods a phone with SMS) and per client address; a code is
kept only as a keyed hash, lives CODE_MINUTES, and dies after MAX_ATTEMPTS wrong tries or one use.
A new code replaces the earlier ones. Verifying is rate-limited per address and per phone, so a
wrong code cannot be guessed by asking for new codes either. Sending belongs to the caller (the
portal passes it to notify): accounts knows no channel.
"""

import logging
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage

from xaso.core.audit import audit_record
from xaso.core.errors import InvalidInput, Throttled
from xaso.core.text import phone_digits

from .models import CitizenProfile, SignInCode, User, phone_validator

CODE_MINUTES = 5
CODE_DIGITS = 6
MAX_ATTEMPTS = 5
# Limits (django-ratelimit rates); the deployment may set them in settings.
RATE_ISSUE_PER_PHONE = "XASO_RATE_SIGN_IN_PHONE"
RATE_ISSUE_PER_ADDRESS = "XASO_RATE_SIGN_IN_ADDRESS"
RATE_VERIFY = "XASO_RATE_SIGN_IN_VERIFY"
DEFAULT_RATES = {
    RATE_ISSUE_PER_PHONE: "3/15m",
    RATE_ISSUE_PER_ADDRESS: "20/h",
    RATE_VERIFY: "20/15m",
}
USERNAME_PREFIX = "citizen-"
logger = logging.getLogger(__name__)


class CodeInvalid(InvalidInput):
    code = "sign_in_code_invalid"


def _rate(name: str) -> str:
    return getattr(settings, name, DEFAULT_RATES[name])


def _count(group: str, key: str, rate: str) -> None:
    """One count in `group` for `key` (a phone or an address); past `rate` raise Throttled."""
    try:
        usage = get_usage(
            None, group=group, key=lambda _group, _request: key, rate=rate, increment=True
        )
    except Exception:  # a cache outage must not lock every citizen out (as core.ratelimit)
        logger.warning("rate limit %s not checked: cache unavailable", group, exc_info=True)
        return
    if usage is not None and usage["should_limit"]:
        raise Throttled(retry_after=usage["time_left"] + 1)


def phone_checked(phone: str) -> str:
    """The phone as stored ('0912345678'), or InvalidInput with code "phone"."""
    digits = phone_digits(phone or "")
    try:
        phone_validator(digits)
    except Exception as error:
        raise InvalidInput(
            _("Enter a Vietnamese phone number of 10 digits starting with 0."), code="phone"
        ) from error
    return digits


def _hash(phone: str, code: str) -> str:
    return salted_hmac(
        "xaso.accounts.sign_in_code", f"{phone}:{code}", algorithm="sha256"
    ).hexdigest()


def sign_in_code_issue(*, phone: str, client_ip: str) -> str:
    """A new code for `phone` (returned once, to be sent); earlier unused codes stop working."""
    phone = phone_checked(phone)
    _count("sign_in_issue_address", client_ip, _rate(RATE_ISSUE_PER_ADDRESS))
    _count("sign_in_issue_phone", phone, _rate(RATE_ISSUE_PER_PHONE))
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    now = timezone.now()
    with transaction.atomic():
        SignInCode.objects.filter(phone=phone, used_at__isnull=True).update(used_at=now)
        row = SignInCode.objects.create(
            phone=phone,
            code_hash=_hash(phone, code),
            expires_at=now + timedelta(minutes=CODE_MINUTES),
        )
        audit_record(
            actor=None, action="sign_in_code.issue", object_type="sign_in_code", object_id=row.pk
        )
    return code


def sign_in_code_verify(*, phone: str, code: str, client_ip: str) -> User:
    """The citizen's User (created on first sign-in, with a CitizenProfile) for a right code.

    A wrong code counts against the code (MAX_ATTEMPTS) and against the address and the phone.
    Every failure gives the same error, whether the code was wrong, expired or used up.
    """
    phone = phone_checked(phone)
    code = "".join(ch for ch in (code or "") if ch.isdigit())[:CODE_DIGITS]
    _count("sign_in_verify_address", client_ip, _rate(RATE_VERIFY))
    _count("sign_in_verify_phone", phone, _rate(RATE_VERIFY))
    now = timezone.now()
    wrong = CodeInvalid(
        _("This code is not right or no longer valid. Check the last code we sent, or ask for a "
          "new one."),
    )  # fmt: skip
    with transaction.atomic():
        row = (
            SignInCode.objects.select_for_update()
            .filter(phone=phone, used_at__isnull=True, expires_at__gt=now)
            .order_by("-id")
            .first()
        )
        if row is None or row.attempts >= MAX_ATTEMPTS:
            raise wrong
        if not constant_time_compare(row.code_hash, _hash(phone, code)):
            row.attempts += 1
            fields = ["attempts"]
            if row.attempts >= MAX_ATTEMPTS:
                row.used_at = now  # spent: the citizen must ask for a new code
                fields.append("used_at")
            row.save(update_fields=fields)
            audit_record(
                actor=None,
                action="sign_in_code.fail",
                object_type="sign_in_code",
                object_id=row.pk,
                data={"attempts": row.attempts},
            )
            failed = True  # raised after the block, so that the count is committed
        else:
            row.used_at = now
            row.save(update_fields=["used_at"])
            user = citizen_for_phone(phone)
            audit_record(
                actor=user, action="citizen.sign_in", object_type="user", object_id=user.pk
            )
            failed = False
    if failed:
        raise wrong
    return user


def citizen_for_phone(phone: str) -> User:
    """The citizen account of a verified phone number, made on first use. A staff account is
    never returned: staff sign in with their password (and lockout) at the admin."""
    username = USERNAME_PREFIX + phone
    user, created = User.objects.get_or_create(
        username=username, defaults={"phone": phone, "is_staff": False}
    )
    if user.is_staff or user.memberships.exists():
        raise InvalidInput(_("Staff sign in at the office screens."), code="staff_account")
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        audit_record(actor=None, action="citizen.create", object_type="user", object_id=user.pk)
    CitizenProfile.objects.get_or_create(user=user, defaults={"phone": phone})
    return user
