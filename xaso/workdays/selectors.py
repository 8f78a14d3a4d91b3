"""Reads: due dates and working days of a commune (from the cached calendar, no query once loaded),
and the commune's calendar configuration for its staff.

Other apps call these with plain data: `due_date_for_procedure(commune=..., terms=ProcedureTerms(
...), received_at=...)` is how the catalogue and the dossiers get a due date with the commune's
Tuesday / Friday rules applied.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils.translation import gettext as _

from xaso.core.errors import InvalidInput
from xaso.places.models import Commune

from . import rules as rule_checks
from .calendars import MAX_YEAR, MIN_YEAR, CommuneCalendar, commune_calendar
from .engine import TZ, CalendarError, DueDate, TimeLimit, WorkDuration
from .models import CalendarChange, CalendarSettings, OfficeHours, ServiceRule
from .rules import ProcedureTerms
from .texts import (
    ASSISTED_INTAKE_ALLOWED,
    ASSISTED_INTAKE_REASONS,
    DAY_REASONS,
    calendar_error_message,
    holiday_name,
)

# The longest range of days one answer may list (three years, one of them leap).
MAX_RANGE_DAYS = 3 * 365 + 1


class CalendarInvalid(InvalidInput):
    """Input the calendar cannot compute; `code` is the engine's `CalendarError` code."""


@contextmanager
def calendar_errors() -> Iterator[None]:
    """Turn the engine's CalendarError into a 400 DomainError with the same stable code."""
    try:
        yield
    except CalendarError as error:
        raise CalendarInvalid(calendar_error_message(error.code), code=error.code) from error


def _year_checked(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CalendarInvalid(calendar_error_message("out_of_range"), code="out_of_range")
    return year


def _calendar_at(commune: Commune | str, moment: datetime) -> CommuneCalendar:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise CalendarInvalid(calendar_error_message("naive_datetime"), code="naive_datetime")
    return commune_calendar(commune, _year_checked(moment.astimezone(TZ).year))


def time_limit(amount: int, unit: str) -> TimeLimit:
    with calendar_errors():
        return TimeLimit(amount, unit)


def due_date_for_limit(
    *, commune: Commune | str, received_at: datetime, limit: TimeLimit
) -> DueDate:
    """The statutory due date on the commune's calendar (no service rule: `rule` is None)."""
    with calendar_errors():
        return _calendar_at(commune, received_at).calendar.due(received_at, limit)


def due_date_for_procedure(
    *, commune: Commune | str, terms: ProcedureTerms, received_at: datetime
) -> DueDate:
    """Due date of a complete dossier of a procedure, the commune's Friday rule applied."""
    with calendar_errors():
        entry = _calendar_at(commune, received_at)
        return rule_checks.compute_due(entry.calendar, terms, received_at, entry.rules)


def due_date_after_pause(
    *,
    commune: Commune | str,
    clock_started_at: datetime,
    due_at: datetime,
    paused_at: datetime,
    resumed_at: datetime,
    rule: str,
    terms: ProcedureTerms,
) -> datetime:
    """The due time once a paused clock runs again ("continue" the time left, or "restart")."""
    with calendar_errors():
        return _calendar_at(commune, resumed_at).calendar.resume_due(
            clock_started_at=clock_started_at,
            due_at=due_at,
            paused_at=paused_at,
            resumed_at=resumed_at,
            rule=rule,
            limit=terms.limit,
        )


def working_time_remaining(
    *, commune: Commune | str, now: datetime, due_at: datetime
) -> WorkDuration:
    """Office time left until `due_at`, or overdue by; texts.format_work_duration words it."""
    with calendar_errors():
        return _calendar_at(commune, now).calendar.remaining(now, due_at)


def year_is_provisional(*, commune: Commune | str, year: int) -> bool:
    """Whether the commune's calendar for `year` is provisional (no official rows yet)."""
    return commune_calendar(commune, _year_checked(year)).is_provisional(year)


def due_is_provisional(*, commune: Commune | str, due_at: datetime | None) -> bool:
    """Whether an appointment falls in a provisional year (say so wherever it is printed)."""
    if due_at is None:
        return False
    return year_is_provisional(commune=commune, year=due_at.astimezone(TZ).year)


# From this day of the year the administrators are reminded to enter next year's official days.
CONFIRM_NEXT_YEAR_FROM = (10, 1)


def calendar_years_to_confirm(
    *, communes: Sequence[Commune], today: date
) -> list[tuple[Commune, int]]:
    """(commune, year) whose official days its administrators should enter now: this year if
    still provisional, and from 1 October next year too (DOMAIN.md §6: remind in Q4).

    One query whatever the number of communes (it runs in every page's navigation)."""
    years = [today.year]
    if (today.month, today.day) >= CONFIRM_NEXT_YEAR_FROM:
        years.append(today.year + 1)
    if not communes:
        return []
    provinces = {commune.province_id for commune in communes}
    rows = CalendarChange.objects.filter(
        Q(province__isnull=True) | Q(province_id__in=provinces),
        date__range=(date(years[0], 1, 1), date(years[-1], 12, 31)),
    ).values_list("province_id", "date")
    official = {(province, day.year) for province, day in rows}
    return [
        (commune, year)
        for commune in communes
        for year in years
        if (None, year) not in official and (commune.province_id, year) not in official
    ]


@dataclass(frozen=True, slots=True)
class AssistedIntake:
    allowed: bool
    reason_code: str | None
    reason: str


def assisted_intake_check(
    *, commune: Commune | str, terms: ProcedureTerms, at: datetime
) -> AssistedIntake:
    """May an officer write this dossier's forms for the applicant now (Tuesday "không viết")?"""
    with calendar_errors():
        entry = _calendar_at(commune, at)
        decision = rule_checks.assisted_intake_check(terms, at, entry.rules, entry.calendar)
    reason = (
        ASSISTED_INTAKE_ALLOWED
        if decision.reason_code is None
        else ASSISTED_INTAKE_REASONS[decision.reason_code]
    )
    return AssistedIntake(decision.allowed, decision.reason_code, str(reason))


@dataclass(frozen=True, slots=True)
class CalendarDay:
    date: date
    working: bool
    reason: str  # working_day | weekend | public_holiday | day_off | makeup_working_day
    description: str  # for people, in the active language
    legal_reference: str | None  # for days from the official table
    verified: bool | None


def describe_day(entry: CommuneCalendar, day: date) -> CalendarDay:
    info = entry.calendar.day_info(day)
    reason = info.reason.partition(":")[0]
    change = entry.changes.get(day)
    if reason == "public_holiday":
        description = holiday_name(day) or info.reason.partition(":")[2]
    elif reason in ("day_off", "makeup_working_day") and change is not None:
        description = change.note or str(DAY_REASONS[reason])
    else:
        description = str(DAY_REASONS[reason])
    # The table's reference also when the package names the day too (31/8, 24/11 of 2026).
    in_table = change is not None and info.working == (change.kind == "makeup_working_day")
    return CalendarDay(
        date=day,
        working=info.working,
        reason=reason,
        description=description,
        legal_reference=change.legal_reference if in_table else None,
        verified=change.verified if in_table else None,
    )


def calendar_days(*, commune: Commune | str, first: date, last: date) -> list[CalendarDay]:
    """Every date from `first` to `last` with whether it is worked and why (at most 3 years)."""
    if first > last:
        raise InvalidInput(_("The first date is after the last one."), code="invalid_range")
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise InvalidInput(
            _("Ask for at most %(days)d days (three years) at a time.") % {"days": MAX_RANGE_DAYS},
            code="range_too_long",
        )
    _year_checked(first.year)
    _year_checked(last.year)
    # Base year first+1: the window first.year .. first.year+3 holds any range of three years.
    entry = commune_calendar(commune, first.year + 1)
    with calendar_errors():
        return [
            describe_day(entry, first + timedelta(days=offset))
            for offset in range((last - first).days + 1)
        ]


# --- the commune's configuration, for its staff -------------------------------------------------


def commune_office_hours(commune: Commune) -> list[OfficeHours]:
    return list(OfficeHours.objects.filter(commune=commune).order_by("valid_from", "id"))


def commune_calendar_settings(commune: Commune) -> CalendarSettings:
    """The commune's row, or an unsaved one with the defaults."""
    return CalendarSettings.objects.filter(commune=commune).first() or CalendarSettings(
        commune=commune
    )


def commune_service_rules(commune: Commune) -> list[ServiceRule]:
    """Both rules, stored or (unsaved, disabled) defaults, in the order of ServiceRule.Kind."""
    stored = {rule.kind: rule for rule in ServiceRule.objects.filter(commune=commune)}
    return [stored.get(kind) or service_rule_default(commune, kind) for kind in ServiceRule.Kind]


def service_rule_default(commune: Commune, kind: str) -> ServiceRule:
    return ServiceRule(
        commune=commune,
        kind=kind,
        enabled=False,
        weekday=ServiceRule.DEFAULT_WEEKDAYS[kind],
    )
