"""The commune's service rules, as pure checks over plain data.

- Friday "không hẹn" (`friday_same_day`, DESIGN.md §4): a complete dossier of a procedure the
  commune lists for the rule, received on the rule's weekday before its cut-off (by default the
  close of office hours), is due at the close of office hours that same day. Without a list of
  its own the rule covers every procedure decided in the commune whose statutory limit is at
  most 3 working days; a dossier received "with verification" is never covered (the
  verification happens elsewhere and takes its statutory time).
- Tuesday "không viết" (`tuesday_assisted`): on the rule's weekday officers write the forms for the
  applicant, except for procedures the law bars from being written by someone else.

Rules are per-commune data (on/off, weekday, cut-off, dates in force, optional list of codes);
procedures come in as `ProcedureTerms`, so this module knows no procedure model.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date, datetime, time

from xaso.workdays.engine import (
    CALENDAR_DAYS,
    SAME_DAY,
    TZ,
    WORKING_DAYS,
    WORKING_HOURS,
    CalendarError,
    DueDate,
    TimeLimit,
    WorkCalendar,
)

FRIDAY_SAME_DAY = "friday_same_day"
TUESDAY_ASSISTED = "tuesday_assisted"
RULE_KINDS = frozenset({FRIDAY_SAME_DAY, TUESDAY_ASSISTED})

# Why assisted intake is refused, as stable codes; the texts for people are on the Django side
# (`xaso.workdays.texts.ASSISTED_INTAKE_REASONS`, through gettext). None in a Decision: allowed.
REASON_CODES = frozenset(
    {
        "no_proxy_writing",
        "rule_disabled",
        "not_covered",
        "not_in_force",
        "not_rule_day",
        "not_working_day",
        "after_cutoff",
    }
)

# Refusals of one Tuesday rule, most lasting first; with several rules the refusal of the rule
# that got furthest is reported (it tells the officer what is closest to being allowed).
_TUESDAY_STAGES = ("not_covered", "not_in_force", "not_rule_day", "not_working_day", "after_cutoff")


# The Friday rule's default reach: a statutory limit of at most three working days.
FRIDAY_DEFAULT_MAX_DAYS = 3
_WORKING_DAY_HOURS = 8


@dataclass(frozen=True, slots=True)
class ProcedureTerms:
    """What the engine needs to know about a procedure (and, once received, about a dossier).

    `verification_limit`: the statutory limit when verification is needed (the whole limit, not
    an addition), None when the law gives none. `with_verification`: this dossier was received
    with verification chosen, so `limit` is already that longer limit (see `verified`).
    """

    code: str
    limit: TimeLimit
    no_proxy_writing: bool = False
    decided_in_commune: bool = True
    verification_limit: TimeLimit | None = None
    with_verification: bool = False

    def verified(self) -> ProcedureTerms:
        """The terms of a dossier received with verification: its statutory longer limit."""
        if self.verification_limit is None:
            raise CalendarError(
                "no_verification_limit", f"{self.code} has no limit with verification"
            )
        return replace(self, limit=self.verification_limit, with_verification=True)


def within_friday_default(limit: TimeLimit) -> bool:
    """At most three working days (the Friday rule's default list, DESIGN.md §4)."""
    if limit.unit == SAME_DAY:
        return True
    if limit.unit in (WORKING_DAYS, CALENDAR_DAYS):
        return limit.amount <= FRIDAY_DEFAULT_MAX_DAYS
    if limit.unit == WORKING_HOURS:
        return limit.amount <= FRIDAY_DEFAULT_MAX_DAYS * _WORKING_DAY_HOURS
    return False


@dataclass(frozen=True, slots=True)
class ServiceRule:
    """One commune's Tuesday or Friday rule.

    `cutoff`: for the Friday rule, receipt at or before it (15:00 itself included); None: before
    the close of office hours. For the Tuesday rule, receipt strictly before it; None: the whole
    working day.
    `procedure_codes`: None covers the rule's default (Friday: decided in the commune, limit at
    most 3 working days; Tuesday: any procedure not barred from proxy writing); a set is the
    commune's own list.
    """

    kind: str
    enabled: bool
    weekday: int  # 0 = Monday
    cutoff: time | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    procedure_codes: frozenset[str] | None = None

    def __post_init__(self) -> None:
        if self.kind not in RULE_KINDS:
            raise CalendarError("unknown_rule_kind", f"Unknown service rule kind: {self.kind!r}")
        if not 0 <= self.weekday <= 6:
            raise CalendarError("invalid_weekday", f"Weekday must be 0..6: {self.weekday}")

    def in_force(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def lists(self, code: str) -> bool:
        return self.procedure_codes is None or code in self.procedure_codes

    def friday_covers(self, terms: ProcedureTerms) -> bool:
        if terms.with_verification:
            return False
        if self.procedure_codes is not None:
            return terms.code in self.procedure_codes
        return terms.decided_in_commune and within_friday_default(terms.limit)


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    reason_code: str | None  # one of REASON_CODES when refused, None when allowed


def _local(moment: datetime) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise CalendarError("naive_datetime", f"A timezone-aware datetime is required: {moment!r}")
    return moment.astimezone(TZ)


def friday_rule_applies(
    calendar: WorkCalendar,
    terms: ProcedureTerms,
    received_at: datetime,
    rules: Iterable[ServiceRule],
) -> datetime | None:
    """Close of office hours of the receipt day if a Friday rule covers this receipt, else None."""
    local: datetime | None = None
    for rule in rules:
        if rule.kind != FRIDAY_SAME_DAY or not rule.enabled or not rule.friday_covers(terms):
            continue
        if local is None:
            local = _local(received_at)
        day = local.date()
        if day.weekday() != rule.weekday or not rule.in_force(day):
            continue
        end = calendar.end_of_office_day(day)  # None on a holiday or a day off
        if end is None or local >= end:
            continue
        if rule.cutoff is None or local.time() <= rule.cutoff:
            return end
    return None


def compute_due(
    calendar: WorkCalendar,
    procedure_terms: ProcedureTerms,
    received_at: datetime,
    rules: Iterable[ServiceRule],
) -> DueDate:
    """Due date of a complete dossier received at `received_at`, service rules included.

    Under the Friday rule the dossier is due at the end of office hours that day, or earlier if
    the statutory limit is shorter (the rule speeds service up, it never slows it down);
    `DueDate.rule` is then "friday_same_day" so the dossier shows on the Friday board.
    """
    statutory = calendar.due(received_at, procedure_terms.limit)
    same_day_end = friday_rule_applies(calendar, procedure_terms, received_at, rules)
    if same_day_end is None:
        return statutory
    return DueDate(
        statutory.received_at,
        statutory.clock_starts_at,
        min(statutory.due_at, same_day_end),
        FRIDAY_SAME_DAY,
    )


def _refuse(code: str) -> Decision:
    return Decision(False, code)


def assisted_intake_check(
    procedure_terms: ProcedureTerms,
    at: datetime,
    rules: Iterable[ServiceRule],
    calendar: WorkCalendar,
) -> Decision:
    """May an officer write this dossier for the applicant at `at` (Tuesday "không viết")?

    Allowed at any time of a working day that is the rule's weekday (until the rule's cut-off if
    it has one), not only inside office periods: the desk is open whenever staff are there.
    """
    local = _local(at)
    if procedure_terms.no_proxy_writing:
        return _refuse("no_proxy_writing")
    candidates = [r for r in rules if r.kind == TUESDAY_ASSISTED and r.enabled]
    if not candidates:
        return _refuse("rule_disabled")
    day = local.date()
    furthest = -1
    for rule in candidates:
        failures = (
            not rule.lists(procedure_terms.code),
            not rule.in_force(day),
            day.weekday() != rule.weekday,
            not calendar.is_working_day(day),
            rule.cutoff is not None and local.time() >= rule.cutoff,
        )
        if not any(failures):
            return Decision(True, None)
        furthest = max(furthest, failures.index(True))
    return _refuse(_TUESDAY_STAGES[furthest])
