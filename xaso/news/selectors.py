"""Reads of the news app: the published announcements (portal, feed, API), the staff's lists,
and the loudspeakers' programme of a day in playing order."""

from dataclasses import dataclass, field
from datetime import date, time

from django.db.models import Prefetch, QuerySet

from xaso.accounts.models import Role
from xaso.accounts.scoping import FULL_READ_ROLES, staff_scope
from xaso.core.errors import NotFound
from xaso.places.models import Commune

from .models import (
    PRIORITY_RANK,
    Announcement,
    BroadcastSlot,
    Bulletin,
    CultureOfficer,
    PlayLog,
    Priority,
)
from .workflow import APPROVER, WRITER, WRITER_ROLES

# Circular 39/2020 practice (DOMAIN.md §8b): about 05:00 and 17:00, Monday to Saturday.
DEFAULT_SLOTS = ((time(5), (0, 1, 2, 3, 4, 5)), (time(17), (0, 1, 2, 3, 4, 5)))


def news_kinds(user, commune: Commune) -> frozenset[str]:
    """What `user` may do with the news of `commune`: write (any officer), approve (the leader
    or the commune's culture officer); empty for anyone else."""
    roles = staff_scope(user).roles_in(commune)
    kinds = set()
    if roles & WRITER_ROLES:
        kinds.add(WRITER)
    if Role.LEADER in roles or (
        roles and CultureOfficer.objects.filter(commune=commune, user=user).exists()
    ):
        kinds.add(APPROVER)
    return frozenset(kinds)


def published(commune_code: str = "") -> QuerySet:
    rows = Announcement.objects.filter(state=Announcement.State.PUBLISHED).select_related("commune")
    if commune_code:
        rows = rows.filter(commune__code=commune_code)
    return rows.prefetch_related("villages").order_by("-published_at", "-pk")


def published_one(code: str) -> Announcement:
    found = (
        published()
        .select_related("image")
        .prefetch_related("attachments")
        .filter(code=code)
        .first()
    )
    if found is None:
        raise NotFound(code="announcement_not_found")
    return found


def announcement_upload(item: Announcement, token: str):
    """The announcement's image or one of its attachments, by token (None if it has no such)."""
    if item.image and item.image.token == token:
        return item.image
    return item.attachments.filter(token=token).first()


def staff_announcements(user) -> QuerySet:
    return (
        staff_scope(user)
        .filter(Announcement.objects.select_related("commune"), roles=FULL_READ_ROLES)
        .order_by("-updated_at")
    )


def announcement_for_staff(user, code: str) -> Announcement:
    found = staff_announcements(user).filter(code=code).first()
    if found is None:
        raise NotFound(code="announcement_not_found")
    return found


def slots_of(commune: Commune, day: date) -> list[str]:
    """The commune's slots on that day ("HH:MM"), its own or the default."""
    rows = [(row.at, tuple(row.weekdays)) for row in BroadcastSlot.objects.filter(commune=commune)]
    weekday = day.weekday()
    return [at.strftime("%H:%M") for at, days in (rows or DEFAULT_SLOTS) if weekday in days]


@dataclass
class ProgrammeItem:
    bulletin: Bulletin
    slots: list[str]  # "now" for an emergency
    played: set[str] = field(default_factory=set)

    @property
    def priority(self) -> str:
        return self.bulletin.priority


def programme(commune: Commune, day: date) -> list[ProgrammeItem]:
    """The day's approved bulletins in playing order: emergency first (played at once,
    whatever the slot or weekday), then priority, then normal; within a rank, the oldest
    first."""
    slots = slots_of(commune, day)
    rows = (
        Bulletin.objects.filter(
            commune=commune,
            cancelled=False,
            approved_at__isnull=False,
            first_day__lte=day,
            last_day__gte=day,
        )
        .prefetch_related(
            "villages",
            "clusters",
            Prefetch("plays", queryset=PlayLog.objects.filter(day=day), to_attr="day_plays"),
        )
        .order_by("created_at", "pk")
    )
    items = []
    for bulletin in rows:
        played = {play.slot for play in bulletin.day_plays}
        if bulletin.priority == Priority.EMERGENCY:
            items.append(ProgrammeItem(bulletin, ["now", *slots], played))
            continue
        chosen = [slot for slot in slots if not bulletin.slots or slot in bulletin.slots]
        if chosen:
            items.append(ProgrammeItem(bulletin, chosen, played))
    items.sort(key=lambda item: PRIORITY_RANK[item.priority])  # stable: created order kept
    return items


def staff_commune(user, code: str) -> Commune:
    return staff_scope(user).commune(code, roles=FULL_READ_ROLES)


def script_text(commune: Commune, day: date, items: list[ProgrammeItem]) -> str:
    """The text export for the vendor's smart-radio platform: one block per bulletin, in
    playing order, with its priority, slots and targets (plain UTF-8; no vendor API known)."""
    lines = [f"# {commune.name} · {day:%d/%m/%Y}", ""]
    for number, item in enumerate(items, 1):
        bulletin = item.bulletin
        targets = [v.name for v in bulletin.villages.all()] + [
            c.name for c in bulletin.clusters.all()
        ]
        lines += [
            f"## {number}. [{bulletin.priority}] {bulletin.title}",
            f"code: {bulletin.code}",
            f"slots: {', '.join(item.slots)}",
            f"targets: {', '.join(targets) or 'all'}",
            "",
            bulletin.text.strip(),
            "",
        ]
    return "\n".join(lines)
