"""Writes to accounts: API tokens, staff sessions, the second factor, staff accounts and their
memberships."""

import hashlib
import secrets
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from xaso.core.audit import audit_record
from xaso.core.errors import Conflict, InvalidInput, NotFound

from .errors import OtpInvalid
from .models import ApiToken, Membership, Role, SecondFactorPolicy, StaffSession, User
from .second_factor import totp_verify
from .selectors import active_sessions, active_tokens

TOKEN_PREFIX = "xaso_"  # noqa: S105 (a marker, not a secret)
# Writing last_used_at on every request would turn every read into a write.
LAST_USED_RESOLUTION = timedelta(minutes=5)


def token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_issue(*, user: User) -> tuple[str, ApiToken]:
    """Create a token; the raw value is returned once and never stored."""
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            key_hash=token_hash(raw),
            prefix=raw[: len(TOKEN_PREFIX) + 6],
            expires_at=timezone.now() + settings.API_TOKEN_TTL,
        )
        audit_record(actor=user, action="token.issue", object_type="api_token", object_id=token.pk)
    return raw, token


def token_revoke(*, actor: User, token: ApiToken) -> None:
    """By the token's owner, or a commune administrator for their commune's staff; anyone else
    is told it does not exist."""
    with transaction.atomic():
        if not active_tokens(actor).filter(pk=token.pk).exists():
            raise NotFound(code="token_not_found")
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if updated:
            audit_record(
                actor=actor, action="token.revoke", object_type="api_token", object_id=token.pk,
                data={"user": token.user_id},
            )  # fmt: skip


def tokens_revoke_on_password_change(*, user: User) -> int:
    """A new password ends every token: whoever held the old password may have made one."""
    with transaction.atomic():
        count = ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if count:
            audit_record(
                actor=user, action="token.revoke_all", object_type="user", object_id=user.pk,
                data={"reason": "password_change", "count": count},
            )  # fmt: skip
    return count


def token_authenticate(raw: str) -> User | None:
    """The active user behind a valid, unexpired, unrevoked token, or None."""
    if not raw.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=token_hash(raw), revoked_at__isnull=True, expires_at__gt=now)
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at > LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def staff_user_create(
    *, actor: User | None, username: str, password: str, full_name: str = ""
) -> User:
    try:
        with transaction.atomic():
            user = User.objects.create_user(
                username=username, password=password, full_name=full_name
            )
            audit_record(actor=actor, action="user.create", object_type="user", object_id=user.pk)
    except IntegrityError as error:
        raise Conflict(_("This username is taken."), code="username_taken") from error
    return user


def membership_grant(*, actor: User | None, user: User, role: str, commune=None, province=None):
    if role not in Role.values:
        raise InvalidInput(_("Unknown role."), code="unknown_role")
    if (role == Role.PROVINCE_VIEWER) != (province is not None) or (commune is None) == (
        province is None
    ):
        raise InvalidInput(
            _("A province viewer names a province; every other role names a commune."),
            code="membership_scope",
        )
    with transaction.atomic():
        membership, created = Membership.objects.get_or_create(
            user=user, role=role, commune=commune, province=province
        )
        # Every role reads its commune's data in the admin (`CommuneScopedAdmin`), which Django
        # opens to `is_staff` users only; model permissions stay empty, so a role alone shows
        # nothing beyond the commune-scoped screens.
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        if created:
            audit_record(
                actor=actor,
                action="membership.grant",
                object_type="user",
                object_id=user.pk,
                commune_code=commune.code if commune else "",
                data={"role": role, "province": province.code if province else None},
            )
    return membership


# --- Staff sessions -------------------------------------------------------------------------------


def staff_session_start(*, user: User, session_key: str, user_agent: str, address: str):
    now = timezone.now()
    StaffSession.objects.update_or_create(
        session_key=session_key,
        defaults={"user": user, "started_at": now, "last_seen_at": now, "ended_at": None,
                  "user_agent": user_agent[:200], "address": address[:45]},
    )  # fmt: skip


def staff_session_seen(*, session_key: str) -> None:
    StaffSession.objects.filter(session_key=session_key, ended_at__isnull=True).update(
        last_seen_at=timezone.now()
    )


def staff_session_close(*, session_key: str) -> None:
    """The session ended by itself (signed out, timed out)."""
    StaffSession.objects.filter(session_key=session_key, ended_at__isnull=True).update(
        ended_at=timezone.now()
    )


def staff_session_end(*, actor: User, session: StaffSession) -> None:
    """Sign a session out from elsewhere: its owner, or a commune administrator for their
    commune's staff. The session is deleted from the store, so its cookie opens nothing."""
    with transaction.atomic():
        if not active_sessions(actor).filter(pk=session.pk).exists():
            raise NotFound(code="session_not_found")
        import_module(settings.SESSION_ENGINE).SessionStore(session.session_key).delete()
        StaffSession.objects.filter(pk=session.pk).update(ended_at=timezone.now())
        audit_record(
            actor=actor, action="session.end", object_type="staff_session", object_id=session.pk,
            data={"user": session.user_id},
        )  # fmt: skip


# --- The second factor ----------------------------------------------------------------------------

RECOVERY_CODE_COUNT = 10


def totp_enrol_begin(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator: its secret is shown (QR) until a code confirms it. The
    one already confirmed, if any, keeps working until then."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)


def totp_enrol_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str]:
    """The app shows the right code: the authenticator replaces any earlier one, and a fresh
    set of recovery codes is made. Returns the recovery codes, shown once."""
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        if not totp_verify(device, code):
            raise OtpInvalid()
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = recovery_codes_renew(user=user)
        audit_record(
            actor=user, action="second_factor.enrol", object_type="user", object_id=user.pk
        )
    return codes


def recovery_codes_renew(*, user: User) -> list[str]:
    """Ten new one-time recovery codes; the earlier ones stop working."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name="recovery", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def totp_enrol_with_secret(*, user: User, secret_hex: str) -> TOTPDevice:
    """An authenticator with a known secret (the demo's accounts, whose secret is printed)."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        device = TOTPDevice.objects.create(
            user=user, name="authenticator", key=secret_hex, confirmed=True
        )
        audit_record(
            actor=None, action="second_factor.enrol", object_type="user", object_id=user.pk
        )
    return device


def second_factor_policy_set(*, actor: User, commune, required_for_all: bool):
    from .scoping import staff_scope

    staff_scope(actor).require(commune, [Role.COMMUNE_ADMIN])
    with transaction.atomic():
        policy, _created = SecondFactorPolicy.objects.update_or_create(
            commune=commune, defaults={"required_for_all": bool(required_for_all)}
        )
        audit_record(
            actor=actor, action="second_factor.policy", object_type="commune",
            object_id=commune.code, commune_code=commune.code,
            data={"required_for_all": policy.required_for_all},
        )  # fmt: skip
    return policy
