"""Working-day engine: due dates counted on the real office calendar of a commune.

Pure logic, no Django and no database: a `WorkCalendar` is built from plain data (public holidays,
official day-off swaps, make-up working Saturdays, office hours) and answers every query with a
bisect over arrays precomputed at construction, so it can be cached per commune and queried
hundreds of thousands of times per second.

Instants are handled internally as integer microseconds since the Unix epoch, which keeps every
answer exact (no float drift at period boundaries). All datetimes given must be timezone-aware;
all datetimes returned are in Asia/Ho_Chi_Minh.

Decisions worth knowing:
- An office period is half-open for the clock start: a dossier received at exactly 11:30 or 17:00
  starts its clock at the next period; but a due instant that lands exactly on the end of a period
  is that end (11:30, 17:00), never the start of the next period.
- "N working days" and "N calendar days" end at the close of office hours of the last day
  (Civil Code 2015 art. 147–148, DOMAIN.md §6): the day the clock starts is not counted, the
  period runs over the N (working or calendar) days after it, and a calendar-day period whose
  last day is not worked ends at the close of the next working day. Mon 10:00 + 3 working days
  is due at the close of Thursday.
- `hour_for_hour` (a commune option) counts working days as office time instead: N times the
  length of the office day in force on the clock-start date (8 h by default), so Mon 10:00 + 3
  is Thu 10:00. Calendar days always end at the close of their last day.
- `working_hours` is always office time, hour for hour; a zero limit is due at the clock start.
- The `same_day` unit ignores `TimeLimit.amount`: received up to the cut-off inclusive (15:00:00
  is still that day), due at the close of that day; after it, at the close of the next one.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Ho_Chi_Minh")

WORKING_DAYS = "working_days"
WORKING_HOURS = "working_hours"
CALENDAR_DAYS = "calendar_days"
SAME_DAY = "same_day"
UNITS = frozenset({WORKING_DAYS, WORKING_HOURS, CALENDAR_DAYS, SAME_DAY})
# Units that count whole days, so a period ends at the close of office hours of a day.
DAY_UNITS = frozenset({WORKING_DAYS, CALENDAR_DAYS, SAME_DAY})

RESUME_CONTINUE = "continue"
RESUME_RESTART = "restart"

_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_ONE_US = timedelta(microseconds=1)
_US_PER_SECOND = 1_000_000
_HOUR_US = 3600 * _US_PER_SECOND


class CalendarError(ValueError):
    """Bad input to the engine; `code` is stable and meant for API answers and tests."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class TimeLimit:
    """A statutory processing time, e.g. ``TimeLimit(3, "working_days")``."""

    amount: int
    unit: str

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise CalendarError("unknown_unit", f"Unknown time-limit unit: {self.unit!r}")
        if self.amount < 0:
            raise CalendarError("negative_limit", f"A time limit cannot be negative: {self.amount}")


Period = tuple[time, time]
DEFAULT_PERIODS: tuple[Period, ...] = ((time(7), time(11, 30)), (time(13, 30), time(17)))


@dataclass(frozen=True, slots=True)
class OfficeHours:
    """Office periods of a working day, valid for a date range (None = open-ended)."""

    periods: tuple[Period, ...] = DEFAULT_PERIODS
    valid_from: date | None = None
    valid_to: date | None = None

    def __post_init__(self) -> None:
        previous_end = time.min
        if not self.periods:
            raise CalendarError("invalid_office_hours", "Office hours need at least one period")
        for start, end in self.periods:
            if not start < end or start < previous_end:
                raise CalendarError(
                    "invalid_office_hours",
                    "Office periods must be non-empty, sorted and non-overlapping",
                )
            previous_end = end

    def covers(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class DayInfo(NamedTuple):
    """Whether a date is worked, and why.

    `reason` is one of "working_day", "makeup_working_day", "weekend", "day_off" or
    "public_holiday:<name>" (the name as the holiday list gives it, Vietnamese by default).
    """

    working: bool
    reason: str


@dataclass(frozen=True, slots=True)
class DueDate:
    received_at: datetime
    clock_starts_at: datetime
    due_at: datetime
    rule: str | None = None  # set by a service rule that overrode the statutory limit


@dataclass(frozen=True, slots=True)
class WorkDuration:
    """Working time split into office days, hours and minutes (1 day = the office-day length).

    Every part is rounded down (a countdown never promises more time than is left). Text for
    people is made on the Django side (`xaso.workdays.texts.format_work_duration`, through
    gettext), so this module holds no user-visible language.
    """

    days: int
    hours: int
    minutes: int
    overdue: bool = False


def split_work_duration(seconds: float, day_seconds: int, *, overdue: bool = False) -> WorkDuration:
    """Split `seconds` of working time into days (of `day_seconds`), hours and minutes."""
    total_minutes = int(max(seconds, 0) // 60)
    days, rest = divmod(total_minutes, day_seconds // 60)
    hours, minutes = divmod(rest, 60)
    return WorkDuration(days, hours, minutes, overdue)


def _to_us(moment: datetime) -> int:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise CalendarError("naive_datetime", f"A timezone-aware datetime is required: {moment!r}")
    return (moment - _EPOCH) // _ONE_US


def _from_us(us: int) -> datetime:
    # Exact: a float of ~1.8e9 s is within 0.12 µs of the integer and fromtimestamp rounds to µs.
    return datetime.fromtimestamp(us / _US_PER_SECOND, TZ)


def _local_us(day: date, at: time) -> int:
    return _to_us(datetime.combine(day, at, tzinfo=TZ))


class WorkCalendar:
    """Working days and office hours over a horizon of dates, precomputed for bisect queries.

    Precedence for a date: a make-up working day is worked (even if a holiday list says
    otherwise: the official table of swaps wins); otherwise public holidays, extra days off and
    weekends (Saturday, Sunday) are not worked; every other date is a working day.

    Immutable once built, so one instance per commune can be cached and shared between threads.
    """

    __slots__ = (
        "_d_cutoff",
        "_d_end",
        "_d_midnight",
        "_d_next_end",
        "_first_ordinal",
        "_info",
        "_p_cum",
        "_p_cum_end",
        "_p_day_end",
        "_p_day_len",
        "_p_end",
        "_p_start",
        "_regimes",
        "_w_end",
        "first_day",
        "hour_for_hour",
        "last_day",
        "same_day_cutoff",
    )

    def __init__(
        self,
        *,
        first_day: date,
        last_day: date,
        public_holidays: Mapping[date, str] | Iterable[date] = (),
        days_off: Iterable[date] = (),
        makeup_working_days: Iterable[date] = (),
        office_hours: Sequence[OfficeHours] = (OfficeHours(),),
        same_day_cutoff: time = time(15),
        hour_for_hour: bool = False,
    ) -> None:
        if last_day < first_day:
            raise CalendarError("invalid_horizon", "The calendar's last day precedes its first day")
        holiday_names = (
            dict(public_holidays)
            if isinstance(public_holidays, Mapping)
            else dict.fromkeys(public_holidays, "")
        )
        off = frozenset(days_off)
        makeup = frozenset(makeup_working_days)
        if clash := off & makeup:
            raise CalendarError(
                "conflicting_days", f"Dates both off and worked: {sorted(clash)[:3]}"
            )
        self.first_day = first_day
        self.last_day = last_day
        self.same_day_cutoff = same_day_cutoff
        self.hour_for_hour = hour_for_hour
        self._first_ordinal = first_day.toordinal()
        self._regimes = tuple(office_hours)

        self._info: list[DayInfo] = []
        self._p_start: list[int] = []
        self._p_end: list[int] = []
        self._p_cum: list[int] = []  # office time (µs) from the horizon start to the period start
        self._p_cum_end: list[int] = []
        self._p_day_len: list[int] = []  # length of the office day the period belongs to
        self._p_day_end: list[int] = []  # end of that office day
        self._d_midnight: list[int] = []  # per calendar day, plus a sentinel after the last one
        self._d_end: list[int] = []  # end of office hours, -1 on days off
        self._d_cutoff: list[int] = []  # same-day cut-off instant, -1 on days off
        self._w_end: list[int] = []  # end of office hours of each working day, in order
        cumulative = 0
        day = first_day
        while day <= last_day:
            info = self._classify(day, holiday_names, off, makeup)
            self._info.append(info)
            self._d_midnight.append(_local_us(day, time.min))
            if not info.working:
                self._d_end.append(-1)
                self._d_cutoff.append(-1)
                day += timedelta(days=1)
                continue
            periods = [(_local_us(day, a), _local_us(day, b)) for a, b in self._regime(day).periods]
            day_len = sum(b - a for a, b in periods)
            day_end = periods[-1][1]
            for start, end in periods:
                self._p_start.append(start)
                self._p_end.append(end)
                self._p_cum.append(cumulative)
                cumulative += end - start
                self._p_cum_end.append(cumulative)
                self._p_day_len.append(day_len)
                self._p_day_end.append(day_end)
            self._d_end.append(day_end)
            self._w_end.append(day_end)
            # Never after the office closes, or a late dossier would be due before it arrived.
            self._d_cutoff.append(min(_local_us(day, same_day_cutoff), day_end))
            day += timedelta(days=1)
        self._d_midnight.append(_local_us(day, time.min))
        # End of office hours of the first working day strictly after each day (-1: none left).
        self._d_next_end = [-1] * len(self._d_end)
        following = -1
        for index in range(len(self._d_end) - 1, -1, -1):
            self._d_next_end[index] = following
            if self._d_end[index] >= 0:
                following = self._d_end[index]

    @classmethod
    def for_years(
        cls,
        first_year: int,
        last_year: int,
        *,
        days_off: Iterable[date] = (),
        makeup_working_days: Iterable[date] = (),
        office_hours: Sequence[OfficeHours] = (OfficeHours(),),
        same_day_cutoff: time = time(15),
        hour_for_hour: bool = False,
        language: str = "vi",
    ) -> WorkCalendar:
        """A calendar for whole years: `holidays.VN` completed by the official table of swaps."""
        import holidays  # imported here so the engine itself needs no third-party package

        public = holidays.country_holidays(
            "VN", years=range(first_year, last_year + 1), language=language
        )
        return cls(
            first_day=date(first_year, 1, 1),
            last_day=date(last_year, 12, 31),
            public_holidays=dict(public),
            days_off=days_off,
            makeup_working_days=makeup_working_days,
            office_hours=office_hours,
            same_day_cutoff=same_day_cutoff,
            hour_for_hour=hour_for_hour,
        )

    @staticmethod
    def _classify(
        day: date, holidays: dict[date, str], days_off: frozenset[date], makeup: frozenset[date]
    ) -> DayInfo:
        if day in makeup:
            return DayInfo(True, "makeup_working_day")
        if day in holidays:
            return DayInfo(False, f"public_holiday:{holidays[day]}")
        if day in days_off:
            return DayInfo(False, "day_off")
        if day.weekday() >= 5:
            return DayInfo(False, "weekend")
        return DayInfo(True, "working_day")

    def _regime(self, day: date) -> OfficeHours:
        # Later regimes win, so a default followed by seasonal overrides reads naturally.
        for regime in reversed(self._regimes):
            if regime.covers(day):
                return regime
        raise CalendarError("no_office_hours", f"No office hours are defined for {day}")

    # --- days -------------------------------------------------------------------------------

    def _day_index(self, day: date) -> int:
        index = day.toordinal() - self._first_ordinal
        if not 0 <= index < len(self._info):
            raise CalendarError("out_of_range", f"{day} is outside the calendar's horizon")
        return index

    def day_info(self, day: date) -> DayInfo:
        """Whether `day` is worked, and why (for the API that lists days)."""
        return self._info[self._day_index(day)]

    def is_working_day(self, day: date) -> bool:
        return self._info[self._day_index(day)].working

    def office_periods(self, day: date) -> list[tuple[datetime, datetime]]:
        """The office periods of `day` as aware datetimes; empty on a day off."""
        if not self.is_working_day(day):
            return []
        return [
            (datetime.combine(day, a, tzinfo=TZ), datetime.combine(day, b, tzinfo=TZ))
            for a, b in self._regime(day).periods
        ]

    def end_of_office_day(self, day: date) -> datetime | None:
        """End of the last office period of `day`, or None on a day off."""
        end = self._d_end[self._day_index(day)]
        return _from_us(end) if end >= 0 else None

    def day_seconds(self, day: date) -> int:
        """Length in seconds of the office day in force on `day` (a working day's length)."""
        self._day_index(day)
        return sum(
            (datetime.combine(day, b) - datetime.combine(day, a)).seconds
            for a, b in self._regime(day).periods
        )

    # --- instants ---------------------------------------------------------------------------

    def _us(self, moment: datetime) -> int:
        us = _to_us(moment)
        if not self._d_midnight[0] <= us < self._d_midnight[-1]:
            raise CalendarError("out_of_range", f"{moment} is outside the calendar's horizon")
        return us

    def _next_period(self, us: int) -> int:
        """Index of the period in force at `us` or, if the office is closed, of the next one."""
        index = bisect_right(self._p_end, us)
        if index == len(self._p_end):
            raise CalendarError("out_of_range", "No office period left in the calendar's horizon")
        return index

    def _position(self, us: int) -> int:
        """Office time (µs) from the horizon start to `us`."""
        index = bisect_right(self._p_start, us) - 1
        if index < 0:
            return 0
        return min(self._p_cum[index] + us - self._p_start[index], self._p_cum_end[index])

    def _advance(self, position: int) -> tuple[int, int]:
        """The instant at which office time reaches `position`, and its period index.

        bisect_left on the cumulative ends makes a position that falls exactly on a period's
        end land on that end (11:30) rather than on the next period's start (13:30).
        """
        index = bisect_left(self._p_cum_end, position)
        if index == len(self._p_cum_end):
            raise CalendarError("out_of_range", "The due time falls beyond the calendar's horizon")
        return self._p_start[index] + position - self._p_cum[index], index

    def clock_start(self, received_at: datetime) -> datetime:
        """When the clock starts for something received at `received_at`."""
        us = self._us(received_at)
        start = self._p_start[self._next_period(us)]
        return received_at.astimezone(TZ) if us >= start else _from_us(start)

    def due(self, received_at: datetime, limit: TimeLimit) -> DueDate:
        """The statutory due date of something received at `received_at` (hot path)."""
        us = self._us(received_at)
        index = self._next_period(us)
        start = self._p_start[index]
        clock = us if us >= start else start
        unit = limit.unit
        if unit == SAME_DAY:
            day = bisect_right(self._d_midnight, us) - 1
            # Inclusive: a dossier received at exactly the cut-off is still served that day.
            due = self._d_end[day] if us <= self._d_cutoff[day] else self._d_next_end[day]
            if due < 0:
                raise CalendarError("out_of_range", "No working day left in the horizon")
        elif limit.amount == 0:
            due = clock
        elif unit == CALENDAR_DAYS:
            due = self._close_after_calendar_days(clock, limit.amount)
        elif unit == WORKING_DAYS and not self.hour_for_hour:
            due = self._close_after_working_days(self._p_day_end[index], limit.amount)
        else:
            span = limit.amount * (self._p_day_len[index] if unit == WORKING_DAYS else _HOUR_US)
            due, _index = self._advance(self._p_cum[index] + clock - start + span)
        local = received_at.astimezone(TZ)
        return DueDate(
            local,
            local if clock == us else _from_us(clock),
            local if due == us else _from_us(due),
        )

    def _close_after_working_days(self, first_day_end: int, days: int) -> int:
        """Close of office hours `days` working days after the working day closing at
        `first_day_end` (which is not counted: Civil Code art. 147)."""
        position = bisect_left(self._w_end, first_day_end) + days
        if position >= len(self._w_end):
            raise CalendarError("out_of_range", "The due time falls beyond the calendar's horizon")
        return self._w_end[position]

    def _close_after_calendar_days(self, clock: int, days: int) -> int:
        """Close of office hours of the date `days` days after the clock's date, or of the next
        working day when that date is not worked (Civil Code art. 148)."""
        last = bisect_right(self._d_midnight, clock) - 1 + days
        if last >= len(self._d_end):
            raise CalendarError("out_of_range", "The due time falls beyond the calendar's horizon")
        due = self._d_end[last] if self._d_end[last] >= 0 else self._d_next_end[last]
        if due < 0:
            raise CalendarError("out_of_range", "No working day left in the horizon")
        return due

    def working_seconds_between(self, start: datetime, end: datetime) -> float:
        """Office time between two instants, in seconds; 0 if `end` is not after `start`."""
        elapsed = self._position(self._us(end)) - self._position(self._us(start))
        return max(elapsed, 0) / _US_PER_SECOND

    def remaining(self, now: datetime, due_at: datetime) -> WorkDuration:
        """Office time left from `now` until `due_at`, or how much it is overdue.

        A day is the office-day length in force at `now`'s clock start (the last office day
        of the horizon if none is left).
        """
        now_us, due_us = self._us(now), self._us(due_at)
        index = min(bisect_right(self._p_end, now_us), len(self._p_end) - 1)
        seconds = abs(self._position(due_us) - self._position(now_us)) / _US_PER_SECOND
        day_seconds = self._p_day_len[index] // _US_PER_SECOND
        return split_work_duration(seconds, day_seconds, overdue=now_us > due_us)

    def resume_due(
        self,
        *,
        clock_started_at: datetime,
        due_at: datetime,
        paused_at: datetime,
        resumed_at: datetime,
        rule: str,
        limit: TimeLimit,
    ) -> datetime:
        """The new due time after a pause (e.g. waiting for a supplement) ends at `resumed_at`.

        "continue": the office time left at `paused_at` (none if it was already overdue) counts
        from `resumed_at`'s clock start. "restart": the full `limit` counts from there.
        The paused span itself never counts as working time. Unless the calendar counts hour
        for hour, a limit in days ends, after a pause too, at the close of the day it lands on.
        """
        if rule not in (RESUME_CONTINUE, RESUME_RESTART):
            raise CalendarError("unknown_resume_rule", f"Unknown resume rule: {rule!r}")
        resumed_us = self._us(resumed_at)
        if resumed_us < self._us(paused_at):
            raise CalendarError("invalid_interval", "A dossier cannot resume before it paused")
        if rule == RESUME_RESTART:
            return self.due(resumed_at, limit).due_at
        paused_from = max(self._us(paused_at), self._us(clock_started_at))
        left = max(self._position(self._us(due_at)) - self._position(paused_from), 0)
        index = self._next_period(resumed_us)
        clock = max(resumed_us, self._p_start[index])
        if left == 0:
            return _from_us(clock)
        due, due_index = self._advance(self._position(clock) + left)
        if limit.unit in DAY_UNITS and not self.hour_for_hour:
            due = self._p_day_end[due_index]
        return _from_us(due)
