"""Writes to accounts: API tokens, staff accounts and their memberships."""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xaso.core.audit import audit_record
from xaso.core.errors import Conflict, InvalidInput

from .models import ApiToken, Membership, Role, User

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
    with transaction.atomic():
        updated = ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        if updated:
            audit_record(
                actor=actor, action="token.revoke", object_type="api_token", object_id=token.pk
            )


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
