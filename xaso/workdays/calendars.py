"""Per-commune working calendars, built from the database once and kept in process memory.

A commune's calendar is the engine's immutable `WorkCalendar` (public holidays from `holidays.VN`,
the national and the province's `CalendarChange` rows, the commune's office hours and settings)
plus its service rules, for a window of years around the dates asked about. Once loaded, a due
date costs no database query at all.

How a change reaches the cache, and why this way:
- Every write that can change a calendar sets one version row (`CalendarVersion`) to a new random
  value in its own transaction, through post_save / post_delete signals (so the services, the
  admin, the shell and fixtures all do it). The process that writes also drops its cache at once
  and again when the transaction commits, so its own next answer already uses the new data.
- Every other process (gunicorn workers, the task worker) reads the version at most once every
  `XASO_CALENDAR_CHECK_SECONDS` (default 10 s) and drops its cache when it has changed. Between two
  checks a due date runs no query; after an edit in the admin, other processes follow within
  that interval. Holiday tables change a few times a year, days or weeks ahead: 10 s is nothing.
- Not Django's cache framework: the default cache (LocMemCache) is per process, so a version kept
  there would never reach the other workers; the database is what every process shares. One
  indexed single-row read per process every 10 s costs nothing measurable.
- Calendars are shared between communes whose inputs are equal (same province, hours and
  settings): they are keyed by their content, so a province of 100 communes on default hours holds
  one calendar per window (~0.6 MB and ~10 ms to build for four years), not one hundred. Both
  caches are bounded (oldest entries dropped first).
- A commune entry is keyed by (commune code, base year); its window is base-1 .. base+2, so a due
  date received in year Y (window Y-1 .. Y+2) can land up to the end of Y+2.
"""

from __future__ import annotations

import secrets
import threading
import time as clock
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from functools import lru_cache

import holidays
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.db.models.signals import post_delete, post_save

from xaso.core.errors import NotFound
from xaso.places.models import Commune

from .engine import DEFAULT_PERIODS, OfficeHours, WorkCalendar
from .rules import ServiceRule as RuleTerms

# Years a query may be about. Outside them the API answers 400 ("out_of_range"), so nobody can
# make the server build calendars for the year 9999.
MIN_YEAR = 2000
MAX_YEAR = 2099
MAX_COMMUNE_ENTRIES = 2048
MAX_CALENDARS = 64


@dataclass(frozen=True, slots=True)
class ChangeInfo:
    kind: str
    note: str
    legal_reference: str
    verified: bool


@dataclass(frozen=True, slots=True)
class CommuneCalendar:
    """What the due-date computations need about one commune, for a window of years."""

    commune_code: str
    first_year: int
    last_year: int
    calendar: WorkCalendar
    rules: tuple[RuleTerms, ...]
    changes: Mapping[date, ChangeInfo]  # the table rows in force in the window, for reasons

    def is_provisional(self, year: int) -> bool:
        """No official row (national or the province's) for `year` in the table: its working
        days are the `holidays` package's guess, not the government's decisions (DOMAIN.md §6)."""
        return not any(day.year == year for day in self.changes)


class _State:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.entries: OrderedDict[tuple[str, int], CommuneCalendar] = OrderedDict()
        self.calendars: OrderedDict[tuple, WorkCalendar] = OrderedDict()
        self.version: int | None = None
        self.checked_at = float("-inf")


_state = _State()


def _check_interval() -> float:
    return float(getattr(settings, "XASO_CALENDAR_CHECK_SECONDS", 10))


def calendar_version() -> int:
    from .models import CalendarVersion

    return CalendarVersion.objects.filter(pk=1).values_list("version", flat=True).first() or 0


def calendar_cache_clear() -> None:
    """Drop every cached commune calendar of this process; the next check reads the counter."""
    with _state.lock:
        _state.entries.clear()
        _state.version = None
        _state.checked_at = float("-inf")


def calendar_version_bump() -> None:
    """Record that calendar data changed (call inside the writing transaction)."""
    from .models import CalendarVersion

    # A random value rather than +1: a process that cached data of a transaction that was then
    # rolled back holds a version nobody else will ever write again, so it cannot mistake a later
    # real change for the version it already has.
    token = secrets.randbits(62) + 1
    if not CalendarVersion.objects.filter(pk=1).update(version=token):
        CalendarVersion.objects.update_or_create(pk=1, defaults={"version": token})
    calendar_cache_clear()
    transaction.on_commit(calendar_cache_clear)


def _check_version() -> None:
    now = clock.monotonic()
    if now - _state.checked_at < _check_interval():
        return
    version = calendar_version()
    with _state.lock:
        if version != _state.version:
            _state.entries.clear()
            _state.version = version
        _state.checked_at = now


def _forget_commune(code: str) -> None:
    with _state.lock:
        for key in [key for key in _state.entries if key[0] == code]:
            del _state.entries[key]


# --- building -----------------------------------------------------------------------------------


@lru_cache(maxsize=16)
def _public_holidays(first_year: int, last_year: int) -> dict[date, str]:
    return dict(
        holidays.country_holidays("VN", years=range(first_year, last_year + 1), language="vi")
    )


def work_calendar(
    *,
    first_year: int,
    last_year: int,
    days_off: frozenset[date] = frozenset(),
    makeup_working_days: frozenset[date] = frozenset(),
    office_hours: tuple[OfficeHours, ...] = (OfficeHours(),),
    same_day_cutoff: time = time(15),
    hour_for_hour: bool = False,
) -> WorkCalendar:
    """The engine's calendar for these inputs, shared with every caller that asks for the same."""
    key = (
        first_year,
        last_year,
        days_off,
        makeup_working_days,
        office_hours,
        same_day_cutoff,
        hour_for_hour,
    )
    calendar = _state.calendars.get(key)
    if calendar is not None:
        return calendar
    calendar = WorkCalendar(
        first_day=date(first_year, 1, 1),
        last_day=date(last_year, 12, 31),
        public_holidays=_public_holidays(first_year, last_year),
        days_off=days_off,
        makeup_working_days=makeup_working_days,
        office_hours=office_hours,
        same_day_cutoff=same_day_cutoff,
        hour_for_hour=hour_for_hour,
    )
    with _state.lock:
        _state.calendars[key] = calendar
        while len(_state.calendars) > MAX_CALENDARS:
            _state.calendars.popitem(last=False)
    return calendar


def calendar_changes(
    province_id: int | None, first_year: int, last_year: int
) -> dict[date, ChangeInfo]:
    """National rows, replaced date by date by the province's own rows (one query)."""
    from .models import CalendarChange

    rows = CalendarChange.objects.filter(
        Q(province__isnull=True) | Q(province_id=province_id),
        date__range=(date(first_year, 1, 1), date(last_year, 12, 31)),
    ).values_list("date", "kind", "note", "legal_reference", "verified", "province_id")
    changes: dict[date, ChangeInfo] = {}
    # National rows first, so that a province's row of the same date replaces them.
    for day, kind, note, reference, verified, _province in sorted(
        rows, key=lambda row: row[5] is not None
    ):
        changes[day] = ChangeInfo(kind, note, reference, verified)
    return changes


def office_hours_regimes(rows) -> tuple[OfficeHours, ...]:
    """The default first, then undated rows, then dated rows by start: the engine's "later wins"."""
    ordered = sorted(
        rows,
        key=lambda row: (
            row.valid_from is not None or row.valid_to is not None,
            row.valid_from or date.min,
            row.pk or 0,
        ),
    )
    return (OfficeHours(DEFAULT_PERIODS), *(row.as_engine() for row in ordered))


def rule_terms(row) -> RuleTerms:
    return RuleTerms(
        kind=row.kind,
        enabled=row.enabled,
        weekday=row.weekday,
        cutoff=row.cutoff,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        procedure_codes=frozenset(row.procedure_codes) if row.procedure_codes else None,
    )


def build_calendar(
    *, base_year: int, province_id: int | None, commune_id: int | None = None, label: str = ""
) -> CommuneCalendar:
    """Read the data (four small queries with a commune, one without) and build its calendar.

    Without a commune: the national calendar (with `province_id`: that province's), on default
    office hours and settings and without service rules (`xaso calendar show`).
    """
    from .models import CalendarSettings, OfficeHours, ServiceRule

    first_year, last_year = base_year - 1, base_year + 2
    changes = calendar_changes(province_id, first_year, last_year)
    options = hours = None
    rules: tuple[RuleTerms, ...] = ()
    if commune_id is not None:
        options = CalendarSettings.objects.filter(commune_id=commune_id).first()
        hours = list(OfficeHours.objects.filter(commune_id=commune_id))
        rules = tuple(rule_terms(row) for row in ServiceRule.objects.filter(commune_id=commune_id))
    calendar = work_calendar(
        first_year=first_year,
        last_year=last_year,
        days_off=frozenset(day for day, info in changes.items() if info.kind == "day_off"),
        makeup_working_days=frozenset(
            day for day, info in changes.items() if info.kind == "makeup_working_day"
        ),
        office_hours=office_hours_regimes(hours or ()),
        same_day_cutoff=options.same_day_cutoff if options else time(15),
        hour_for_hour=options.hour_for_hour if options else False,
    )
    return CommuneCalendar(label, first_year, last_year, calendar, rules, changes)


def _build(code: str, base_year: int) -> CommuneCalendar:
    commune = Commune.objects.filter(code=code).values("pk", "province_id").first()
    if commune is None:
        raise NotFound(code="commune_not_found")
    return build_calendar(
        base_year=base_year,
        province_id=commune["province_id"],
        commune_id=commune["pk"],
        label=code,
    )


def commune_calendar(commune: Commune | str, base_year: int) -> CommuneCalendar:
    """The commune's calendar for the years base_year-1 .. base_year+2 (cached; see module doc).

    Raises NotFound("commune_not_found") for an unknown code.
    """
    code = commune if isinstance(commune, str) else commune.code
    _check_version()
    key = (code, base_year)
    entry = _state.entries.get(key)
    if entry is not None:
        return entry
    version = _state.version
    entry = _build(code, base_year)
    with _state.lock:
        if _state.version == version:  # not invalidated while building
            _state.entries[key] = entry
            while len(_state.entries) > MAX_COMMUNE_ENTRIES:
                _state.entries.popitem(last=False)
    return entry


# --- invalidation -------------------------------------------------------------------------------


def _on_calendar_data_change(sender, **kwargs) -> None:
    calendar_version_bump()


def _on_commune_change(sender, instance, **kwargs) -> None:
    # A commune's code or province may have changed (or a test rebuilt it): forget its entries.
    _forget_commune(instance.code)


def connect_signals() -> None:
    from .models import CalendarChange, CalendarSettings, OfficeHours, ServiceRule

    for model in (CalendarChange, OfficeHours, CalendarSettings, ServiceRule):
        uid = f"workdays-calendar-version-{model.__name__}"
        post_save.connect(_on_calendar_data_change, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_on_calendar_data_change, sender=model, dispatch_uid=uid + "-delete")
    post_save.connect(_on_commune_change, sender=Commune, dispatch_uid="workdays-commune-save")
    post_delete.connect(_on_commune_change, sender=Commune, dispatch_uid="workdays-commune-delete")
