"""Calendar API: public due dates and working days; the commune's calendar settings for its staff.

Times: `received_at` is ISO 8601. A time without an offset is read as Vietnam time
(Asia/Ho_Chi_Minh, UTC+07:00 all year, no daylight saving: a local time there has exactly one
meaning), which is what a person typing into a browser means. A "+" in a query string must be
sent as %2B; one decoded to a space ("…T10:00:00 07:00") is read back as the "+" it was.
Answers are always in +07:00.
"""

import re
from datetime import date, datetime, time

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from ninja import Field, PatchDict, Query, Router, Schema

from xaso.accounts.models import Role
from xaso.accounts.scoping import staff_scope
from xaso.core.errors import InvalidInput

from .engine import SAME_DAY, TZ
from .hooks import procedure_terms
from .models import ServiceRule
from .selectors import (
    calendar_days,
    commune_calendar_settings,
    commune_office_hours,
    commune_service_rules,
    due_date_for_limit,
    due_date_for_procedure,
    time_limit,
)
from .services import calendar_settings_update, office_hours_replace, service_rule_update

public_router = Router(tags=["calendar"])
staff_router = Router(tags=["staff"])

ADMIN = [Role.COMMUNE_ADMIN]

# "2026-11-27T10:00:00 07:00": the "+" of the offset, decoded to a space by a careless client.
_SPACED_OFFSET = re.compile(
    r"(?P<clock>[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d{1,6})?)?) (?P<offset>\d{2}(?::?\d{2})?)$"
)


def parse_instant(text: str) -> datetime:
    """An aware datetime from ISO 8601 text; naive text is Vietnam time (see the module doc)."""
    match = _SPACED_OFFSET.search(text)
    if match:
        text = f"{text[: match.start()]}{match['clock']}+{match['offset']}"
    try:
        if "T" not in text and " " not in text:
            raise ValueError("a date alone is not an instant")
        moment = datetime.fromisoformat(text)
    except ValueError as error:
        raise InvalidInput(
            _("Give the time in ISO 8601, e.g. 2026-11-27T10:00:00+07:00."),
            code="invalid_datetime",
        ) from error
    return moment.replace(tzinfo=TZ) if moment.tzinfo is None else moment


# --- public -------------------------------------------------------------------------------------


class LimitOut(Schema):
    amount: int
    unit: str


class DueDateOut(Schema):
    received_at: datetime
    clock_starts_at: datetime
    due_at: datetime
    rule: str | None
    limit: LimitOut


class DayOut(Schema):
    date: date
    working: bool
    reason: str = Field(
        description=str(
            gettext_lazy(
                "working_day, weekend, public_holiday, day_off (official) or makeup_working_day"
            )
        )
    )
    description: str
    legal_reference: str | None
    verified: bool | None


class DaysOut(Schema):
    days: list[DayOut]


@public_router.get("/calendar/due-date", auth=None, response=DueDateOut)
def due_date(
    request,
    commune: str = Query(..., description=str(gettext_lazy("Commune code"))),
    received_at: str = Query(
        ...,
        description=str(
            gettext_lazy("ISO 8601; without an offset it is read as Vietnam time (+07:00)")
        ),
    ),
    procedure: str | None = Query(
        None,
        description=str(
            gettext_lazy("Procedure code: its time limit and the commune's Friday rule apply")
        ),
    ),
    unit: str | None = Query(
        None, description="working_days | working_hours | calendar_days | same_day"
    ),
    limit: int | None = Query(
        None, description=str(gettext_lazy("Amount of the unit; not needed for same_day"))
    ),
):
    moment = parse_instant(received_at)
    if (procedure is None) == (unit is None):
        raise InvalidInput(
            _("Give either a procedure code, or a time limit and its unit."),
            code="procedure_or_limit",
        )
    if procedure is not None:
        terms = procedure_terms(procedure, commune)
        due = due_date_for_procedure(commune=commune, terms=terms, received_at=moment)
        limit_terms = terms.limit
    else:
        if limit is None:
            if unit != SAME_DAY:
                raise InvalidInput(_("Give the time limit."), code="limit_required")
            limit = 0
        limit_terms = time_limit(limit, unit)
        due = due_date_for_limit(commune=commune, received_at=moment, limit=limit_terms)
    return {
        "received_at": due.received_at,
        "clock_starts_at": due.clock_starts_at,
        "due_at": due.due_at,
        "rule": due.rule,
        "limit": {"amount": limit_terms.amount, "unit": limit_terms.unit},
    }


class DaysQuery(Schema):
    commune: str = Field(description=str(gettext_lazy("Commune code")))
    first: date = Field(alias="from")
    last: date = Field(alias="to")


@public_router.get("/calendar/days", auth=None, response=DaysOut)
def days(request, query: Query[DaysQuery]):
    return {"days": calendar_days(commune=query.commune, first=query.first, last=query.last)}


# --- staff: the commune's office hours, settings and service rules ------------------------------


class PeriodSchema(Schema):
    start: time
    end: time


class RegimeSchema(Schema):
    periods: list[PeriodSchema] = Field(min_length=1, max_length=6)
    valid_from: date | None = None
    valid_to: date | None = None
    note: str = Field("", max_length=200)


class OfficeHoursIn(Schema):
    regimes: list[RegimeSchema] = Field(
        max_length=24,
        description=str(gettext_lazy("Empty: the national default (07:00–11:30, 13:30–17:00).")),
    )


class OfficeHoursOut(Schema):
    uses_default: bool
    regimes: list[RegimeSchema]


class CalendarSettingsSchema(Schema):
    same_day_cutoff: time
    hour_for_hour: bool


class ServiceRuleOut(Schema):
    kind: str
    enabled: bool
    weekday: int = Field(description="0 = Monday … 6 = Sunday")
    cutoff: time | None
    valid_from: date | None
    valid_to: date | None
    procedure_codes: list[str]
    note: str


class ServiceRulePatchIn(Schema):
    enabled: bool
    weekday: int = Field(ge=0, le=6)
    cutoff: time | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    procedure_codes: list[str] = Field(default_factory=list, max_length=500)
    note: str = Field("", max_length=200)


def _office_hours_answer(commune) -> dict:
    rows = commune_office_hours(commune)
    regimes = [
        {
            "periods": [{"start": start, "end": end} for start, end in row.periods],
            "valid_from": row.valid_from,
            "valid_to": row.valid_to,
            "note": row.note,
        }
        for row in rows
    ]
    if not rows:
        regimes = [
            {"periods": [{"start": "07:00", "end": "11:30"}, {"start": "13:30", "end": "17:00"}]}
        ]
    return {"uses_default": not rows, "regimes": regimes}


@staff_router.get("/communes/{code}/calendar/office-hours", response=OfficeHoursOut)
def office_hours_get(request, code: str):
    return _office_hours_answer(staff_scope(request.user).commune(code))


@staff_router.put("/communes/{code}/calendar/office-hours", response=OfficeHoursOut)
def office_hours_put(request, code: str, payload: OfficeHoursIn):
    commune = staff_scope(request.user).commune(code, roles=ADMIN)
    regimes = [
        {
            "periods": [(period.start, period.end) for period in regime.periods],
            "valid_from": regime.valid_from,
            "valid_to": regime.valid_to,
            "note": regime.note,
        }
        for regime in payload.regimes
    ]
    office_hours_replace(actor=request.user, commune=commune, regimes=regimes)
    return _office_hours_answer(commune)


@staff_router.get("/communes/{code}/calendar/settings", response=CalendarSettingsSchema)
def settings_get(request, code: str):
    return commune_calendar_settings(staff_scope(request.user).commune(code))


@staff_router.patch("/communes/{code}/calendar/settings", response=CalendarSettingsSchema)
def settings_patch(request, code: str, payload: PatchDict[CalendarSettingsSchema]):
    commune = staff_scope(request.user).commune(code, roles=ADMIN)
    return calendar_settings_update(actor=request.user, commune=commune, **payload)


@staff_router.get("/communes/{code}/calendar/service-rules", response=list[ServiceRuleOut])
def service_rules_list(request, code: str):
    return commune_service_rules(staff_scope(request.user).commune(code))


@staff_router.patch("/communes/{code}/calendar/service-rules/{rule_kind}", response=ServiceRuleOut)
def service_rules_update(
    request, code: str, rule_kind: ServiceRule.Kind, payload: PatchDict[ServiceRulePatchIn]
):
    commune = staff_scope(request.user).commune(code, roles=ADMIN)
    return service_rule_update(actor=request.user, commune=commune, kind=rule_kind, **payload)
