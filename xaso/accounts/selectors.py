"""Reads of accounts: the API tokens and staff sessions a user may see (and so end)."""

from django.db.models import QuerySet
from django.utils import timezone

from .models import ApiToken, Role, StaffSession, User
from .scoping import staff_scope


def staff_visible_to(actor) -> QuerySet[User]:
    """Whose tokens and sessions `actor` may see: their own; a commune administrator also those
    of their commune's staff (never another commune's)."""
    if actor.is_superuser:
        return User.objects.all()
    communes = staff_scope(actor).commune_ids([Role.COMMUNE_ADMIN])
    if not communes:
        return User.objects.filter(pk=actor.pk)
    staff = User.objects.filter(memberships__commune_id__in=communes).values("pk")
    return User.objects.filter(pk__in=staff) | User.objects.filter(pk=actor.pk)


def active_tokens(actor, *, user=None) -> QuerySet[ApiToken]:
    """Unrevoked, unexpired tokens `actor` may see (of `user` only, when given)."""
    users = staff_visible_to(actor)
    if user is not None:
        users = users.filter(pk=user.pk)
    return (
        ApiToken.objects.filter(
            user__in=users, revoked_at__isnull=True, expires_at__gt=timezone.now()
        )
        .select_related("user")
        .order_by("-created_at", "-id")
    )


def active_sessions(actor, *, user=None) -> QuerySet[StaffSession]:
    users = staff_visible_to(actor)
    if user is not None:
        users = users.filter(pk=user.pk)
    return (
        StaffSession.objects.filter(user__in=users, ended_at__isnull=True)
        .select_related("user")
        .order_by("-last_seen_at", "-id")
    )
