"""Properties of the working-day engine, checked with Hypothesis on the real 2026 calendar.

Runs are derandomized (a fixed sequence of examples) so that CI is stable.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import holidays
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.helpers.calendar_2026 import DAYS_OFF_2026, MAKEUP_2026
from xaso.workdays.engine import TZ, TimeLimit, WorkCalendar
from xaso.workdays.rules import ProcedureTerms, ServiceRule, compute_due

PUBLIC_HOLIDAYS = dict(holidays.VN(years=(2026, 2027), language="vi"))
HORIZON = {"first_day": date(2026, 1, 1), "last_day": date(2027, 12, 31)}


def build(
    days_off: frozenset[date] = DAYS_OFF_2026, *, hour_for_hour: bool = False
) -> WorkCalendar:
    return WorkCalendar(
        **HORIZON,
        public_holidays=PUBLIC_HOLIDAYS,
        days_off=days_off,
        makeup_working_days=MAKEUP_2026,
        hour_for_hour=hour_for_hour,
    )


CAL = build()  # the law's count: a limit in days ends at the close of its last day
HOURLY_CAL = build(hour_for_hour=True)

PROPERTY = settings(max_examples=300, derandomize=True, deadline=None, database=None)

# Instants in 2026, with office boundaries (and their neighbours) drawn often.
_BOUNDARIES = [time(h, m) for h, m in ((7, 0), (11, 30), (13, 30), (15, 0), (17, 0))]
_days = st.dates(date(2026, 1, 1), date(2026, 12, 31))
_times = st.one_of(
    st.times(),
    st.sampled_from(_BOUNDARIES),
    st.builds(
        lambda t, delta: (datetime.combine(date.min, t) + timedelta(microseconds=delta)).time(),
        st.sampled_from(_BOUNDARIES),
        st.sampled_from([-1, 1]),
    ),
)
instants = st.builds(lambda d, t: datetime.combine(d, t, tzinfo=TZ), _days, _times)
counted_limits = st.builds(
    TimeLimit, st.integers(0, 30), st.sampled_from(["working_days", "working_hours"])
)
day_limits = st.builds(
    TimeLimit, st.integers(0, 60), st.sampled_from(["working_days", "calendar_days"])
)
limits = st.one_of(counted_limits, day_limits, st.just(TimeLimit(0, "same_day")))


def in_office_period(cal: WorkCalendar, moment: datetime) -> bool:
    """start < moment <= end for an office period of a working day."""
    return any(start < moment <= end for start, end in cal.office_periods(moment.date()))


def is_period_end(cal: WorkCalendar, moment: datetime) -> bool:
    return any(moment == end for _, end in cal.office_periods(moment.date()))


@PROPERTY
@given(received=instants, limit=limits, hourly=st.booleans())
def test_due_after_clock_start_after_receipt(
    received: datetime, limit: TimeLimit, hourly: bool
) -> None:
    result = (HOURLY_CAL if hourly else CAL).due(received, limit)
    assert result.received_at <= result.clock_starts_at <= result.due_at


@PROPERTY
@given(received=instants, limit=limits)
def test_due_is_inside_office_hours(received: datetime, limit: TimeLimit) -> None:
    due_at = CAL.due(received, limit).due_at
    if limit.unit == "same_day":
        assert due_at == CAL.end_of_office_day(due_at.date())
    elif limit.amount > 0:
        assert in_office_period(CAL, due_at)


@PROPERTY
@given(received=instants, limit=day_limits.filter(lambda lim: lim.amount > 0))
def test_a_limit_in_days_ends_at_the_close_of_a_later_day(
    received: datetime, limit: TimeLimit
) -> None:
    result = CAL.due(received, limit)
    due_at = result.due_at
    assert is_period_end(CAL, due_at)
    assert due_at == CAL.end_of_office_day(due_at.date())
    # the receipt day is not counted (Civil Code art. 147)
    assert due_at.date() > result.clock_starts_at.date()
    assert due_at >= HOURLY_CAL.due(received, limit).due_at


@PROPERTY
@given(received=instants, amount=st.integers(1, 60))
def test_n_working_days_are_the_n_working_days_after_the_receipt_day(
    received: datetime, amount: int
) -> None:
    result = CAL.due(received, TimeLimit(amount, "working_days"))
    day, counted = result.clock_starts_at.date(), 0
    while counted < amount:
        day += timedelta(days=1)
        counted += CAL.is_working_day(day)
    assert result.due_at == CAL.end_of_office_day(day)


@PROPERTY
@given(first=instants, second=instants, limit=limits)
def test_due_is_monotonic_in_receipt(first: datetime, second: datetime, limit: TimeLimit) -> None:
    earlier, later = sorted((first, second))
    assert CAL.due(earlier, limit).due_at <= CAL.due(later, limit).due_at


@PROPERTY
@given(received=instants, limit=limits, extra_day_off=_days)
def test_a_day_off_never_brings_a_due_time_forward(
    received: datetime, limit: TimeLimit, extra_day_off: date
) -> None:
    if extra_day_off in MAKEUP_2026:
        return  # an explicit make-up day cannot also be a day off
    with_day_off = build(DAYS_OFF_2026 | {extra_day_off})
    assert with_day_off.due(received, limit).due_at >= CAL.due(received, limit).due_at


@PROPERTY
@given(received=instants, limit=counted_limits)
def test_elapsed_office_time_equals_the_limit(received: datetime, limit: TimeLimit) -> None:
    """Hour for hour (the commune option), N days are N office days of time exactly."""
    result = HOURLY_CAL.due(received, limit)
    unit_seconds = (
        HOURLY_CAL.day_seconds(result.clock_starts_at.date())
        if limit.unit == "working_days"
        else 3600
    )
    elapsed = HOURLY_CAL.working_seconds_between(result.clock_starts_at, result.due_at)
    assert elapsed == limit.amount * unit_seconds


@PROPERTY
@given(
    received=instants,
    limit=counted_limits,
    pause_after=st.integers(0, 40 * 86400),
    pause_length=st.integers(0, 20 * 86400),
)
def test_continue_after_a_pause_keeps_the_total_office_time(
    received: datetime, limit: TimeLimit, pause_after: int, pause_length: int
) -> None:
    original = HOURLY_CAL.due(received, limit)
    paused_at = original.clock_starts_at + timedelta(seconds=pause_after)
    resumed_at = paused_at + timedelta(seconds=pause_length)
    new_due = HOURLY_CAL.resume_due(
        clock_started_at=original.clock_starts_at,
        due_at=original.due_at,
        paused_at=paused_at,
        resumed_at=resumed_at,
        rule="continue",
        limit=limit,
    )
    used = HOURLY_CAL.working_seconds_between(original.clock_starts_at, paused_at)
    left = HOURLY_CAL.working_seconds_between(HOURLY_CAL.clock_start(resumed_at), new_due)
    total = HOURLY_CAL.working_seconds_between(original.clock_starts_at, original.due_at)
    assert left == max(total - used, 0)
    assert new_due >= resumed_at
    # the law's count then ends the same time left at the close of the day it lands on
    closing = CAL.resume_due(
        clock_started_at=original.clock_starts_at,
        due_at=original.due_at,
        paused_at=paused_at,
        resumed_at=resumed_at,
        rule="continue",
        limit=limit,
    )
    assert closing >= new_due


FRIDAY = ServiceRule("friday_same_day", enabled=True, weekday=4, cutoff=time(11))


@PROPERTY
@given(received=instants, limit=limits, in_commune=st.booleans())
def test_friday_rule_never_delays(received: datetime, limit: TimeLimit, in_commune: bool) -> None:
    terms = ProcedureTerms("1.004873", limit, decided_in_commune=in_commune)
    with_rule = compute_due(CAL, terms, received, [FRIDAY])
    statutory = CAL.due(received, limit)
    assert with_rule.due_at <= statutory.due_at
    assert with_rule.due_at >= with_rule.clock_starts_at
    if with_rule.rule is not None:
        assert with_rule.due_at.date() == received.date()
