"""Reads of the notifications: a citizen's preference, which channel and address a message takes,
and the officers' daily digest."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q
from django.utils import timezone

from xaso.accounts.models import Membership, Role

from . import templates
from .channels import EMAIL, PHONE_CHANNELS, SMS, default_channel_name, is_usable
from .models import NotificationPreference

# What the citizen may turn off. Everything else is a notice the law requires (Decree 118/2025:
# receipt and appointment, supplement request, refusal, apology with a new date) or a code the
# citizen asked for: it goes even to a citizen who opted out.
OPTIONAL_TEMPLATES = frozenset(
    {templates.RESULT_READY, templates.RESULT_RETURNED, templates.PAYMENT_RECEIVED}
)
# Officers who hear of their commune's due and overdue dossiers every morning.
DIGEST_ROLES = (Role.RECEPTION, Role.SPECIALIST, Role.LEADER, Role.COMMUNE_ADMIN)
DIGEST_LIMIT = 100  # dossiers listed per kind; a longer list says so by its count


@dataclass(frozen=True)
class Route:
    channel: str
    recipient: str


def preference_for(*, phone: str = "", user=None) -> NotificationPreference | None:
    """The citizen's preference, by phone number, else by their account."""
    if phone:
        found = NotificationPreference.objects.filter(phone=phone).first()
        if found is not None:
            return found
    if user is not None and getattr(user, "is_authenticated", False):
        return NotificationPreference.objects.filter(user=user).order_by("-updated_at").first()
    return None


def route_for(
    *, template: str, phone: str = "", email: str = "", user=None, phone_only: bool = False
) -> Route | None:
    """The channel and address of one message to a citizen, or None when it is not to be sent
    (an optional message to a citizen who opted out, or nobody to write to).

    The citizen's channels in their order, then the deployment's default; the first one that is
    configured and has an address wins. An opted-out citizen still gets the required notices by
    SMS, the cheapest channel. With no usable channel the message still gets a row (on SMS when
    there is a phone): it fails where the commune admin sees it, instead of vanishing.
    """
    preference = preference_for(phone=phone, user=user)
    default = default_channel_name()
    email = (preference.email if preference and preference.email else "") or email
    if preference is not None and preference.opted_out:
        if template in OPTIONAL_TEMPLATES:
            return None
        candidates = [SMS, default]
    else:
        candidates = [*(preference.channels if preference else []), default]
    if phone_only:
        candidates = [name for name in candidates if name in PHONE_CHANNELS]
    for name in candidates:
        address = email if name == EMAIL else phone
        if address and is_usable(name):
            return Route(name, address)
    if phone:
        return Route(default if default in PHONE_CHANNELS else SMS, phone)
    if email and not phone_only:
        return Route(EMAIL, email)
    return None


# --- the officers' digest --------------------------------------------------------------------


@dataclass(frozen=True)
class DigestOfficer:
    user_id: int
    name: str
    email: str
    phone: str


@dataclass
class CommuneDigest:
    commune_id: int
    commune_code: str
    commune_name: str
    officers: list[DigestOfficer]
    overdue: list[dict]
    due_today: list[dict]
    # Counted in full; the lists stop at DIGEST_LIMIT.
    totals: dict[str, int] = field(default_factory=lambda: {"overdue": 0, "due_today": 0})


def _row(dossier) -> dict:
    return {
        "code": dossier.code,
        "procedure": dossier.procedure.name,
        "due_at": dossier.due_at.isoformat() if dossier.due_at else None,
    }


def digests(now: datetime | None = None) -> list[CommuneDigest]:
    """Per commune with staff to tell: its officers (with an e-mail or a phone) and its dossiers
    overdue and due today, at the desk or for the decision. Three queries, however many communes."""
    from xaso.dossiers.models import Dossier
    from xaso.dossiers.selectors import queue_filter

    now = now or timezone.now()
    officers: dict[int, dict[int, DigestOfficer]] = defaultdict(dict)
    communes: dict[int, tuple[str, str]] = {}
    memberships = (
        Membership.objects.filter(role__in=DIGEST_ROLES, user__is_active=True)
        .filter(~Q(user__email="") | ~Q(user__phone=""))
        .select_related("user", "commune")
        .order_by("commune_id", "user_id")
    )
    for membership in memberships:
        user = membership.user
        communes[membership.commune_id] = (membership.commune.code, membership.commune.name)
        officers[membership.commune_id][user.pk] = DigestOfficer(
            user.pk, user.get_full_name(), user.email, user.phone
        )
    overdue = queue_filter("overdue", user=None, now=now)
    due_today = queue_filter("due_today", user=None, now=now)
    found: dict[int, CommuneDigest] = {
        pk: CommuneDigest(pk, code, name, list(officers[pk].values()), [], [])
        for pk, (code, name) in communes.items()
    }
    dossiers = (
        Dossier.objects.filter(overdue | due_today)
        .filter(Q(receiving_commune_id__in=found) | Q(deciding_commune_id__in=found))
        .select_related("procedure")
        .order_by("due_at", "id")
    )
    for dossier in dossiers:
        kind = "overdue" if dossier.due_at < now else "due_today"
        for commune_id in {dossier.receiving_commune_id, dossier.deciding_commune_id}:
            digest = found.get(commune_id)
            if digest is None:
                continue
            digest.totals[kind] += 1
            if len(getattr(digest, kind)) < DIGEST_LIMIT:
                getattr(digest, kind).append(_row(dossier))
    return [digest for digest in found.values() if digest.overdue or digest.due_today]
