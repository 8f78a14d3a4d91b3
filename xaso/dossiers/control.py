"""Form 06, the process-control slip (Phiếu kiểm soát quá trình giải quyết hồ sơ), as data.

The slip is derived from the dossier's events each time it is asked for and never stored: the
events are the record, the slip is a view of them. Circular 03/2025/TT-VPCP gives each row a
giver, a receiver, the time of the hand-over and the result of the step just finished: early,
on time or late (trước hạn / đúng hạn / quá hạn).

Rows: one per hand-over.

=================  =========================  ===========================  ===========  =========
event              giver                      receiver                     dossier      step
                                                                           enters       marked
=================  =========================  ===========================  ===========  =========
intake / receive   the applicant              the desk officer             reception    —
assign             who assigned (for the      the officer in data["to"]    specialist   reception
                   automatic assignment: the
                   officer who received)
handover           who handed over            the officer in data["to"]    specialist   specialist
                                                                           (goes on)    (so far)
propose / deny     the specialist             the leader who acts next     leader       specialist
                                              (else "the leader")
send_back          the leader                 the officer assigned         specialist   leader
                                                                           (new pass)
approve            the leader                 the desk officer who         return       leader
                                              returns it (else the desk)
return             the desk officer (or the   the applicant                done         return
                   system, electronic result)
=================  =========================  ===========================  ===========  =========

The marks. The legal texts name the three results but not how to compute them; this is xaso's
interpretation, chosen to follow the procedure's internal process (ProcessStep) literally:

- A step starts when the dossier enters it (the row that opens it). A hand-over inside the
  specialist step does not restart it; a send-back opens a new pass of the specialist step (and
  the next proposal a new leader step), each with its full budget again.
- A step's budget is the sum of its ProcessStep budgets, turned into office time:
  - working hours, for procedures whose limit is in working days or hours;
  - for same-day procedures, a percentage of the dossier's window: the office time between its
    clock start and the due time set at receipt;
  - when a service rule shortened the window (the Friday rule: due the same day), hour budgets are
    read as shares of their sum, applied to that window the same way; otherwise every step of a
    late dossier would still look on time.
- A step's deadline is its start plus its budget, counted in office time only, on the deciding
  commune's working-day calendar (office hours, weekends, holidays and official swaps), and
  without the time the dossier spent paused waiting for a supplement.
- Late if the step finished after its deadline; early if it finished on an earlier working day
  than the deadline's day; otherwise on time. A step without a budget (or whose deadline falls
  outside the calendar's horizon) gets no mark.
- The window of a same-day dossier is recomputed from its receipt time on the commune's
  calendar (the due time at receipt is not stored apart from later changes). An apology and
  extension (Form 04) moves the dossier's due time, not its steps' deadlines: a step that was
  late stays late on the slip.

The pure part (`step_budgets`, `advance`, `mark_for`, `control_rows`) takes plain data and a
`WorkCalendar`, so it is tested without a database; `control_slip(dossier)` feeds it from one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal

from django.utils.translation import gettext as _

from xaso.accounts.models import User
from xaso.catalog.models import ProcessStep
from xaso.catalog.selectors import procedure_terms_for
from xaso.core.errors import DomainError
from xaso.workdays.calendars import commune_calendar
from xaso.workdays.engine import TZ, CalendarError, WorkCalendar
from xaso.workdays.selectors import due_date_for_procedure

from . import actions
from .actions import DONE, LEADER, RECEPTION, RETURN, SPECIALIST

STEPS = (RECEPTION, SPECIALIST, LEADER, RETURN)

EARLY = "early"
ON_TIME = "on_time"
LATE = "late"

# How ProcessStep budgets are read (see the module docstring).
HOURS = "hours"
PERCENT = "percent"
SHARE = "share"

# The step a hand-over takes the dossier into ("handover" keeps the step going): each action's
# descriptor says it (`actions.ActionDescriptor.enters`).
ENTERS = actions.ENTERS
HANDOVER_ACTIONS = frozenset(ENTERS)


@dataclass(frozen=True, slots=True)
class EventFact:
    """What the slip needs of one DossierEvent, as plain data.

    `actor`: the display name of who acted, None for the system. `to`: the display name of the
    officer named in the event's data (assign, handover), "" otherwise.
    """

    action: str
    at: datetime
    actor: str | None = None
    to: str = ""
    to_state: str = ""


@dataclass(frozen=True, slots=True)
class Parties:
    """Names for those the events do not name (labels in the active language)."""

    applicant: str
    desk: str
    leader: str
    specialist: str
    system: str


@dataclass(frozen=True, slots=True)
class ControlRow:
    number: int
    action: str
    giver: str
    receiver: str
    at: datetime
    enters: str  # the step the dossier goes into (DONE at the end)
    step: str | None  # the step just finished (or, for a hand-over inside a step, going on)
    step_started_at: datetime | None
    deadline: datetime | None
    mark: str | None  # EARLY, ON_TIME, LATE, or None (nothing to mark)
    paused: bool = False  # the step included a pause for a supplement


@dataclass(frozen=True, slots=True)
class ControlSlip:
    rows: tuple[ControlRow, ...]
    # The step the dossier is in now (None once returned, or before it was received).
    current_step: str | None = None
    current_started_at: datetime | None = None
    current_deadline: datetime | None = None
    budgets: Mapping[str, float] = field(default_factory=dict)  # office seconds per step


# --- pure functions --------------------------------------------------------------------------


def step_budgets(
    steps: Iterable[tuple[str, Decimal | float | int]],
    *,
    mode: str,
    window_seconds: float | None = None,
) -> dict[str, float]:
    """Office seconds per step from (step, budget) pairs.

    `mode`: HOURS (budget in working hours), PERCENT (budget in % of `window_seconds`) or SHARE
    (budget / sum of budgets of `window_seconds`). Several rows of one step add up.
    """
    totals: dict[str, Decimal] = defaultdict(Decimal)
    for step, budget in steps:
        totals[step] += Decimal(str(budget))
    if mode == HOURS:
        return {step: float(total * 3600) for step, total in totals.items()}
    if mode not in (PERCENT, SHARE):
        raise ValueError(f"unknown budget mode: {mode!r}")
    if window_seconds is None:
        return {}
    window = Decimal(str(window_seconds))
    if mode == PERCENT:
        return {step: float(window * total / 100) for step, total in totals.items()}
    whole = sum(totals.values())
    if not whole:
        return dict.fromkeys(totals, 0.0)
    return {step: float(window * total / whole) for step, total in totals.items()}


def _free_spans(
    start: datetime, end: datetime, skip: Sequence[tuple[datetime, datetime | None]]
) -> list[tuple[datetime, datetime]]:
    """[start, end) without the intervals of `skip` (an open end runs forever)."""
    spans = [(start, end)]
    for skip_start, skip_end in skip:
        kept = []
        for a, b in spans:
            if (skip_end is not None and skip_end <= a) or skip_start >= b:
                kept.append((a, b))
                continue
            if a < skip_start:
                kept.append((a, skip_start))
            if skip_end is not None and skip_end < b:
                kept.append((skip_end, b))
        spans = kept
    return spans


def advance(
    calendar: WorkCalendar,
    start: datetime,
    seconds: float,
    *,
    skip: Sequence[tuple[datetime, datetime | None]] = (),
) -> datetime | None:
    """The instant at which `seconds` of office time have passed since `start`, not counting
    the intervals in `skip` (pauses). Landing exactly on the end of an office period gives that
    end (11:30, 17:00), as the engine does. None beyond the calendar's horizon."""
    remaining = max(float(seconds), 0.0)
    day = start.astimezone(TZ).date()
    try:
        while day <= calendar.last_day:
            for period_start, period_end in calendar.office_periods(day):
                begin = max(period_start, start)
                if begin >= period_end:
                    continue
                for a, b in _free_spans(begin, period_end, skip):
                    span = (b - a).total_seconds()
                    if remaining <= span:
                        return (a + timedelta(seconds=remaining)).astimezone(TZ)
                    remaining -= span
            day += timedelta(days=1)
    except CalendarError:
        return None
    return None


def mark_for(finished_at: datetime, deadline: datetime | None) -> str | None:
    """Late after the deadline; early on an earlier day than the deadline's; else on time."""
    if deadline is None:
        return None
    if finished_at > deadline:
        return LATE
    if finished_at.astimezone(TZ).date() < deadline.astimezone(TZ).date():
        return EARLY
    return ON_TIME


def pause_intervals(events: Sequence[EventFact]) -> list[tuple[datetime, datetime | None]]:
    """When the dossier waited for a supplement during processing (paused → resumed, or the end
    of the dossier); an interval still open has None as its end."""
    intervals: list[tuple[datetime, datetime | None]] = []
    paused_at: datetime | None = None
    for event in events:
        if event.action == "request_supplement" and event.to_state == "paused":
            paused_at = event.at
        elif paused_at is not None and event.to_state != "paused":
            intervals.append((paused_at, event.at))
            paused_at = None
    if paused_at is not None:
        intervals.append((paused_at, None))
    return intervals


def _next_actor(events: Sequence[EventFact], index: int, actions: set[str]) -> str | None:
    for event in events[index + 1 :]:
        if event.action in actions:
            return event.actor
    return None


def control_rows(
    events: Sequence[EventFact],
    *,
    budgets: Mapping[str, float],
    calendar: WorkCalendar,
    parties: Parties,
) -> ControlSlip:
    """The slip's rows from the dossier's events (in order) and the steps' office seconds."""
    pauses = pause_intervals(events)
    rows: list[ControlRow] = []
    step: str | None = None
    started: datetime | None = None
    deadline: datetime | None = None
    desk_officer: str | None = None
    assignee: str | None = None

    def deadline_of(name: str, start: datetime) -> datetime | None:
        budget = budgets.get(name)
        if budget is None:
            return None
        return advance(calendar, start, budget, skip=pauses)

    for index, event in enumerate(events):
        enters = ENTERS.get(event.action)
        if enters is None:
            continue
        if event.action in ("intake", "receive"):
            desk_officer = event.actor
            giver, receiver = parties.applicant, event.actor or parties.desk
        elif event.action in ("assign", "handover"):
            if event.action == "assign":
                giver = event.actor or desk_officer or parties.desk
            else:
                giver = event.actor or assignee or parties.specialist
            receiver = event.to or parties.specialist
            assignee = receiver
        elif event.action in ("propose", "deny"):
            giver = event.actor or assignee or parties.specialist
            receiver = _next_actor(events, index, {"approve", "send_back"}) or parties.leader
        elif event.action == "send_back":
            giver = event.actor or parties.leader
            receiver = assignee or parties.specialist
        elif event.action == "approve":
            giver = event.actor or parties.leader
            receiver = _next_actor(events, index, {"return"}) or parties.desk
        else:  # return
            giver = event.actor or parties.system
            receiver = parties.applicant
        finished = step if step is not None and started is not None else None
        paused = finished is not None and any(
            start < event.at and (end is None or end > started) for start, end in pauses
        )
        rows.append(
            ControlRow(
                number=len(rows) + 1,
                action=event.action,
                giver=giver,
                receiver=receiver,
                at=event.at,
                enters=enters,
                step=finished,
                step_started_at=started if finished else None,
                deadline=deadline if finished else None,
                mark=mark_for(event.at, deadline) if finished else None,
                paused=paused,
            )
        )
        if event.action == "handover" and step == SPECIALIST:
            continue  # the same step goes on, with the same deadline
        step, started = enters, event.at
        deadline = deadline_of(step, started) if step != DONE else None
    if step == DONE or step is None:
        return ControlSlip(tuple(rows), budgets=dict(budgets))
    return ControlSlip(tuple(rows), step, started, deadline, dict(budgets))


# --- from the database -----------------------------------------------------------------------


def budget_mode(*, limit_unit: str, due_rule: str) -> str:
    """How to read the procedure's budgets for this dossier (see the module docstring)."""
    if limit_unit == "same_day":
        return PERCENT
    if due_rule:
        return SHARE
    return HOURS


def control_slip(dossier) -> ControlSlip:
    """Form 06 of a dossier, from its events, its procedure's process and the deciding
    commune's calendar (four queries, however many events). No rows before it is received."""
    received_at = dossier.received_at
    if received_at is None:
        return ControlSlip(())
    events = list(dossier.events.select_related("actor").order_by("id"))
    officers = {e.data.get("to") for e in events if isinstance(e.data.get("to"), str)}
    names = {
        user.username: user.get_full_name()
        for user in User.objects.filter(username__in=officers - {""})
    }
    facts = [
        EventFact(
            action=event.action,
            at=event.at,
            actor=event.actor.get_full_name() if event.actor else None,
            to=names.get(str(event.data.get("to") or ""), str(event.data.get("to") or "")),
            to_state=event.to_state,
        )
        for event in events
    ]
    parties = Parties(
        applicant=dossier.applicant.get("full_name") or _("The applicant"),
        desk=_("One-stop desk"),
        leader=_("The leader"),
        specialist=_("The specialist"),
        system=_("xaso (automatically)"),
    )
    commune = dossier.deciding_commune
    calendar = commune_calendar(commune, received_at.astimezone(TZ).year).calendar
    procedure = dossier.procedure
    try:
        terms = procedure_terms_for(
            procedure.code, commune.code, with_verification=dossier.with_verification
        )
        unit = terms.limit.unit
    except DomainError:  # no longer offered: the national terms
        terms, unit = None, procedure.limit_unit
    mode = budget_mode(limit_unit=unit, due_rule=dossier.due_rule)
    window = None
    if mode != HOURS and terms is not None:
        try:
            due = due_date_for_procedure(commune=commune, terms=terms, received_at=received_at)
            window = calendar.working_seconds_between(due.clock_starts_at, due.due_at)
        except (DomainError, CalendarError):
            window = None
    steps = ProcessStep.objects.filter(procedure=procedure).values_list("step", "budget")
    budgets = step_budgets(steps, mode=mode, window_seconds=window)
    return control_rows(facts, budgets=budgets, calendar=calendar, parties=parties)
