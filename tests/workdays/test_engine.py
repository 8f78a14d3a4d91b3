"""Table tests of the working-day engine on the real 2026 calendar of Vietnamese civil servants."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import holidays
import pytest

from tests.helpers.calendar_2026 import DAYS_OFF_2026, MAKEUP_2026, OFFICIAL_OFF_WEEKDAYS_2026
from xaso.workdays.engine import (
    TZ,
    CalendarError,
    OfficeHours,
    TimeLimit,
    WorkCalendar,
    WorkDuration,
    split_work_duration,
)

DAYS = TimeLimit(1, "working_days")
SAME_DAY = TimeLimit(0, "same_day")


def at(day: str, clock: str = "00:00") -> datetime:
    """`at("2026-02-13", "16:00")` → an aware datetime in Asia/Ho_Chi_Minh."""
    return datetime.combine(date.fromisoformat(day), time.fromisoformat(clock), tzinfo=TZ)


@pytest.fixture(scope="module")
def cal() -> WorkCalendar:
    return WorkCalendar.for_years(
        2025, 2027, days_off=DAYS_OFF_2026, makeup_working_days=MAKEUP_2026
    )


# --- the calendar itself -------------------------------------------------------------------


def test_2026_calendar_equals_the_official_one(cal: WorkCalendar) -> None:
    day = date(2026, 1, 1)
    while day.year == 2026:
        expected = day in MAKEUP_2026 or (
            day.weekday() < 5 and day not in OFFICIAL_OFF_WEEKDAYS_2026
        )
        assert cal.is_working_day(day) is expected, day
        day += timedelta(days=1)


def test_holidays_package_alone_misses_the_january_swap() -> None:
    """Why the explicit table exists: the package lacks Fri 2/1 and both make-up Saturdays."""
    package = holidays.VN(years=2026)
    package_weekdays_off = {d for d in package if d.weekday() < 5}
    assert OFFICIAL_OFF_WEEKDAYS_2026 - package_weekdays_off == {date(2026, 1, 2)}
    assert package_weekdays_off <= OFFICIAL_OFF_WEEKDAYS_2026
    assert not MAKEUP_2026 & set(package)


def test_makeup_day_wins_over_a_holiday_list() -> None:
    cal = WorkCalendar(
        first_day=date(2026, 8, 1),
        last_day=date(2026, 8, 31),
        public_holidays={date(2026, 8, 22): "wrong"},
        makeup_working_days={date(2026, 8, 22)},
    )
    assert cal.day_info(date(2026, 8, 22)) == (True, "makeup_working_day")


@pytest.mark.parametrize(
    ("day", "working", "reason"),
    [
        ("2026-01-02", False, "day_off"),
        ("2026-01-10", True, "makeup_working_day"),
        ("2026-02-17", False, "public_holiday:Tết Nguyên Đán"),
        ("2026-04-26", False, "public_holiday:Ngày Giỗ Tổ Hùng Vương"),
        ("2026-11-24", False, "public_holiday:Ngày Văn hóa Việt Nam"),
        ("2026-03-07", False, "weekend"),
        ("2026-03-02", True, "working_day"),
    ],
)
def test_day_info(cal: WorkCalendar, day: str, working: bool, reason: str) -> None:
    assert cal.day_info(date.fromisoformat(day)) == (working, reason)


def test_office_periods_and_day_length(cal: WorkCalendar) -> None:
    assert cal.office_periods(date(2026, 3, 2)) == [
        (at("2026-03-02", "07:00"), at("2026-03-02", "11:30")),
        (at("2026-03-02", "13:30"), at("2026-03-02", "17:00")),
    ]
    assert cal.office_periods(date(2026, 3, 7)) == []
    assert cal.day_seconds(date(2026, 3, 2)) == 8 * 3600
    assert cal.end_of_office_day(date(2026, 3, 2)) == at("2026-03-02", "17:00")
    assert cal.end_of_office_day(date(2026, 2, 17)) is None


# --- clock start ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("received", "clock"),
    [
        (("2026-03-03", "09:15"), ("2026-03-03", "09:15")),  # inside office hours
        (("2026-03-03", "07:00"), ("2026-03-03", "07:00")),  # the first instant is inside
        (("2026-03-03", "06:00"), ("2026-03-03", "07:00")),  # early morning
        (("2026-03-03", "12:00"), ("2026-03-03", "13:30")),  # lunch break
        (("2026-03-03", "11:30"), ("2026-03-03", "13:30")),  # exactly at the lunch break
        (("2026-03-03", "17:00"), ("2026-03-04", "07:00")),  # exactly at closing
        (("2026-03-03", "20:00"), ("2026-03-04", "07:00")),  # evening
        (("2026-03-06", "17:00"), ("2026-03-09", "07:00")),  # Friday closing → Monday
        (("2026-03-07", "10:00"), ("2026-03-09", "07:00")),  # Saturday
        (("2026-01-10", "08:00"), ("2026-01-10", "08:00")),  # make-up Saturday
        (("2026-02-13", "17:30"), ("2026-02-23", "07:00")),  # into Lunar New Year
        (("2026-11-24", "09:00"), ("2026-11-25", "07:00")),  # Culture Day
    ],
)
def test_clock_start(cal: WorkCalendar, received: tuple[str, str], clock: tuple[str, str]) -> None:
    assert cal.clock_start(at(*received)) == at(*clock)
    assert cal.due(at(*received), TimeLimit(0, "working_days")).clock_starts_at == at(*clock)


# --- working days and hours ----------------------------------------------------------------


@pytest.fixture(scope="module")
def hour_cal() -> WorkCalendar:
    """The commune option: working days counted hour for hour."""
    return WorkCalendar.for_years(
        2025, 2027, days_off=DAYS_OFF_2026, makeup_working_days=MAKEUP_2026, hour_for_hour=True
    )


@pytest.mark.parametrize(
    ("received", "limit", "due"),
    [
        # the law's count (Civil Code art. 147-148): the receipt day is not counted, the three
        # working days after it end at the close of office hours of the last one
        (("2026-03-02", "09:00"), TimeLimit(3, "working_days"), ("2026-03-05", "17:00")),
        (("2026-12-07", "10:00"), TimeLimit(3, "working_days"), ("2026-12-10", "17:00")),
        (("2026-03-03", "07:00"), DAYS, ("2026-03-04", "17:00")),
        (("2026-03-03", "16:59"), DAYS, ("2026-03-04", "17:00")),
        # received at closing: the clock starts the next morning, which is the receipt day
        (("2026-03-03", "17:00"), DAYS, ("2026-03-05", "17:00")),
        (("2026-03-07", "10:00"), DAYS, ("2026-03-10", "17:00")),  # Saturday (online)
        # Lunar New Year: Sat 14/2 to Sun 22/2 off
        (("2026-02-13", "16:00"), DAYS, ("2026-02-23", "17:00")),
        (("2026-02-12", "10:00"), TimeLimit(2, "working_days"), ("2026-02-23", "17:00")),
        # New Year: Thu 1/1 and Fri 2/1 off, then the weekend
        (("2025-12-31", "10:00"), DAYS, ("2026-01-05", "17:00")),
        # make-up Saturday 10/1 counts
        (("2026-01-09", "10:00"), DAYS, ("2026-01-10", "17:00")),
        (("2026-01-09", "16:00"), TimeLimit(2, "working_days"), ("2026-01-12", "17:00")),
        # Hùng Kings observed Mon 27/4
        (("2026-04-24", "09:00"), DAYS, ("2026-04-28", "17:00")),
        # 30/4 and 1/5, then the weekend
        (("2026-04-29", "09:00"), DAYS, ("2026-05-04", "17:00")),
        # National Day: Sat 22/8 worked; Sat 29/8 to Wed 2/9 off
        (("2026-08-21", "10:00"), DAYS, ("2026-08-22", "17:00")),
        (("2026-08-28", "09:00"), DAYS, ("2026-09-03", "17:00")),
        # Culture Day Tue 24/11
        (("2026-11-23", "10:00"), DAYS, ("2026-11-25", "17:00")),
        # 2027 (the holidays package's Lunar New Year, Thu 4/2 to Wed 10/2)
        (("2027-02-03", "10:00"), DAYS, ("2027-02-11", "17:00")),
        (("2027-02-04", "10:00"), DAYS, ("2027-02-12", "17:00")),
        # working hours stay hour for hour, across lunch and the night
        (("2026-03-03", "12:00"), TimeLimit(1, "working_hours"), ("2026-03-03", "14:30")),
        (("2026-03-03", "16:00"), TimeLimit(2, "working_hours"), ("2026-03-04", "08:00")),
        # landing exactly at the end of a period: that end, never the next start
        (("2026-03-03", "08:30"), TimeLimit(3, "working_hours"), ("2026-03-03", "11:30")),
        (("2026-03-03", "14:00"), TimeLimit(3, "working_hours"), ("2026-03-03", "17:00")),
        (("2026-03-03", "11:30"), TimeLimit(4, "working_hours"), ("2026-03-04", "07:30")),
        # calendar days ("ngày"): from the day after receipt, ending at the close of the last
        # day, or of the next working day when that one is not worked (art. 148)
        (("2026-12-07", "10:00"), TimeLimit(15, "calendar_days"), ("2026-12-22", "17:00")),
        (("2026-03-02", "09:00"), TimeLimit(5, "calendar_days"), ("2026-03-09", "17:00")),
        (("2026-03-06", "16:00"), TimeLimit(1, "calendar_days"), ("2026-03-09", "17:00")),
        (("2026-02-12", "10:00"), TimeLimit(3, "calendar_days"), ("2026-02-23", "17:00")),
        (("2026-03-07", "10:00"), TimeLimit(2, "calendar_days"), ("2026-03-11", "17:00")),
        (("2027-01-25", "10:00"), TimeLimit(30, "calendar_days"), ("2027-02-24", "17:00")),
        # zero: due at the clock start
        (("2026-03-07", "10:00"), TimeLimit(0, "working_days"), ("2026-03-09", "07:00")),
        (("2026-03-03", "12:00"), TimeLimit(0, "working_hours"), ("2026-03-03", "13:30")),
        (("2026-03-03", "12:00"), TimeLimit(0, "calendar_days"), ("2026-03-03", "13:30")),
    ],
)
def test_due(
    cal: WorkCalendar, received: tuple[str, str], limit: TimeLimit, due: tuple[str, str]
) -> None:
    result = cal.due(at(*received), limit)
    assert result.due_at == at(*due)
    assert result.received_at == at(*received)
    assert result.rule is None


@pytest.mark.parametrize(
    ("received", "limit", "due"),
    [
        # the exact instant, three days on
        (("2026-03-02", "09:00"), TimeLimit(3, "working_days"), ("2026-03-05", "09:00")),
        (("2026-02-13", "16:00"), DAYS, ("2026-02-23", "16:00")),
        (("2026-02-12", "10:00"), TimeLimit(2, "working_days"), ("2026-02-23", "10:00")),
        (("2025-12-31", "10:00"), DAYS, ("2026-01-05", "10:00")),
        (("2026-01-09", "16:00"), DAYS, ("2026-01-10", "16:00")),
        (("2026-08-28", "09:00"), DAYS, ("2026-09-03", "09:00")),
        # landing exactly at the end of the office day: that end
        (("2026-03-03", "07:00"), DAYS, ("2026-03-03", "17:00")),
        # working hours and calendar days count as they do by default
        (("2026-03-03", "16:00"), TimeLimit(2, "working_hours"), ("2026-03-04", "08:00")),
        (("2026-12-07", "10:00"), TimeLimit(15, "calendar_days"), ("2026-12-22", "17:00")),
    ],
)
def test_due_hour_for_hour(
    hour_cal: WorkCalendar, received: tuple[str, str], limit: TimeLimit, due: tuple[str, str]
) -> None:
    assert hour_cal.due(at(*received), limit).due_at == at(*due)


@pytest.mark.parametrize(
    ("received", "due"),
    [
        (("2026-03-03", "14:59"), ("2026-03-03", "17:00")),  # before the cut-off
        (("2026-03-03", "15:00"), ("2026-03-03", "17:00")),  # exactly 15:00 is still that day
        (("2026-03-03", "15:00:01"), ("2026-03-04", "17:00")),  # after it: next working day
        (("2026-03-03", "06:00"), ("2026-03-03", "17:00")),  # before opening
        (("2026-03-03", "12:00"), ("2026-03-03", "17:00")),  # lunch break
        (("2026-03-06", "15:30"), ("2026-03-09", "17:00")),  # Friday afternoon → Monday
        (("2026-03-07", "10:00"), ("2026-03-09", "17:00")),  # Saturday
        (("2026-01-10", "10:00"), ("2026-01-10", "17:00")),  # make-up Saturday is a working day
        (("2026-04-30", "09:00"), ("2026-05-04", "17:00")),  # holiday
        (("2026-02-13", "15:30"), ("2026-02-23", "17:00")),  # into Lunar New Year
        (("2027-03-05", "15:00"), ("2027-03-05", "17:00")),  # a Friday of 2027
    ],
)
def test_same_day(cal: WorkCalendar, received: tuple[str, str], due: tuple[str, str]) -> None:
    assert cal.due(at(*received), SAME_DAY).due_at == at(*due)


def test_unknown_unit_is_refused() -> None:
    with pytest.raises(CalendarError) as raised:
        TimeLimit(3, "weeks")
    assert raised.value.code == "unknown_unit"


def test_due_keeps_microseconds_and_accepts_any_time_zone(
    cal: WorkCalendar, hour_cal: WorkCalendar
) -> None:
    received = datetime(2026, 3, 2, 2, 0, 0, 123456, tzinfo=UTC)  # 09:00:00.123456 local
    result = cal.due(received, TimeLimit(3, "working_days"))
    assert result.due_at == at("2026-03-05", "17:00")
    assert result.clock_starts_at == at("2026-03-02", "09:00:00.123456")
    assert result.due_at.tzinfo is TZ
    assert result.received_at.tzinfo is TZ
    hourly = hour_cal.due(received, TimeLimit(3, "working_days"))
    assert hourly.due_at == at("2026-03-05", "09:00:00.123456")


# --- seasonal office hours -----------------------------------------------------------------

WINTER = OfficeHours(
    ((time(7, 30), time(11, 30)), (time(13), time(16, 30))),  # 7.5 h
    valid_from=date(2026, 10, 1),
    valid_to=date(2027, 3, 31),
)


def _seasonal(*, hour_for_hour: bool) -> WorkCalendar:
    return WorkCalendar.for_years(
        2026,
        2026,
        days_off=DAYS_OFF_2026,
        makeup_working_days=MAKEUP_2026,
        office_hours=(OfficeHours(), WINTER),
        hour_for_hour=hour_for_hour,
    )


def test_seasonal_office_hours() -> None:
    seasonal = _seasonal(hour_for_hour=False)
    assert seasonal.day_seconds(date(2026, 9, 30)) == 8 * 3600
    assert seasonal.day_seconds(date(2026, 10, 1)) == 7.5 * 3600
    assert seasonal.clock_start(at("2026-10-01", "12:45")) == at("2026-10-01", "13:00")
    assert seasonal.clock_start(at("2026-09-30", "12:45")) == at("2026-09-30", "13:30")
    # a day ends at the close of the winter office day
    assert seasonal.due(at("2026-09-30", "09:00"), DAYS).due_at == at("2026-10-01", "16:30")
    assert seasonal.due(at("2026-10-01", "14:00"), SAME_DAY).due_at == at("2026-10-01", "16:30")
    hourly = _seasonal(hour_for_hour=True)
    # hour for hour, a day is the length of the office day on the clock-start date: 8 h in
    # summer ...
    assert hourly.due(at("2026-09-30", "09:00"), DAYS).due_at == at("2026-10-01", "09:30")
    # ... and 7.5 h in winter, which again lands on the same time the next day
    assert hourly.due(at("2026-10-01", "09:00"), DAYS).due_at == at("2026-10-02", "09:00")


# --- elapsed, remaining, formatting --------------------------------------------------------


def test_working_seconds_between(cal: WorkCalendar) -> None:
    assert cal.working_seconds_between(at("2026-02-13", "16:00"), at("2026-02-23", "16:00")) == (
        8 * 3600
    )
    assert cal.working_seconds_between(at("2026-03-03", "11:00"), at("2026-03-03", "14:00")) == (
        3600
    )
    assert cal.working_seconds_between(at("2026-03-07", "08:00"), at("2026-03-08", "16:00")) == 0
    assert cal.working_seconds_between(at("2026-03-04", "09:00"), at("2026-03-03", "09:00")) == 0


@pytest.mark.parametrize(
    ("now", "due", "expected"),
    [
        (("2026-03-03", "10:00"), ("2026-03-05", "13:00"), WorkDuration(2, 1, 30, False)),
        (("2026-03-05", "14:00"), ("2026-03-05", "10:00"), WorkDuration(0, 2, 0, True)),
        (("2026-03-03", "16:15"), ("2026-03-03", "17:00"), WorkDuration(0, 0, 45, False)),
        # Saturday after a Friday 17:00 due: no office time has passed, but it is overdue
        (("2026-03-07", "09:00"), ("2026-03-06", "17:00"), WorkDuration(0, 0, 0, True)),
    ],
)
def test_remaining(
    cal: WorkCalendar, now: tuple[str, str], due: tuple[str, str], expected: WorkDuration
) -> None:
    assert cal.remaining(at(*now), at(*due)) == expected


@pytest.mark.parametrize(
    ("seconds", "overdue", "expected"),
    [
        (0, False, WorkDuration(0, 0, 0, False)),
        (45 * 60 + 59, False, WorkDuration(0, 0, 45, False)),
        (5 * 3600 + 59 * 60, False, WorkDuration(0, 5, 59, False)),
        (8 * 3600, False, WorkDuration(1, 0, 0, False)),
        (19 * 3600 + 10 * 60, False, WorkDuration(2, 3, 10, False)),
        (2 * 3600, True, WorkDuration(0, 2, 0, True)),
    ],
)
def test_split_duration(seconds: int, overdue: bool, expected: WorkDuration) -> None:
    """Rounded down; the text for people is tests/workdays/test_texts.py (gettext side)."""
    assert split_work_duration(seconds, 8 * 3600, overdue=overdue) == expected


# --- pause and resume ----------------------------------------------------------------------

THREE_DAYS = TimeLimit(3, "working_days")


@pytest.mark.parametrize(
    ("paused", "resumed", "rule", "due"),
    [
        # received Mon 2/3 09:00, due at the close of Thu 5/3; paused Tue 09:00 with 22 h left:
        # from Mon 9/3 10:00 they end on Thu 12/3, at the close (a limit in days)
        (("2026-03-03", "09:00"), ("2026-03-09", "10:00"), "continue", ("2026-03-12", "17:00")),
        (("2026-03-03", "09:00"), ("2026-03-09", "20:00"), "continue", ("2026-03-12", "17:00")),
        # resumed an hour later: the paused hour does not count, so the time left runs into
        # Friday morning, and the limit ends at Friday's close
        (("2026-03-03", "09:00"), ("2026-03-03", "10:00"), "continue", ("2026-03-06", "17:00")),
        (("2026-03-03", "09:00"), ("2026-03-09", "10:00"), "restart", ("2026-03-12", "17:00")),
        # resumed on Saturday: the clock restarts Monday 07:00, three days after it end Thursday
        (("2026-03-03", "09:00"), ("2026-03-07", "10:00"), "restart", ("2026-03-12", "17:00")),
        # paused before the clock started (Monday 08:00, clock 09:00): the full limit is left
        (("2026-03-02", "08:00"), ("2026-03-02", "08:30"), "continue", ("2026-03-05", "17:00")),
        # paused once already overdue: nothing left, due when the clock starts again
        (("2026-03-06", "09:00"), ("2026-03-09", "06:00"), "continue", ("2026-03-09", "07:00")),
    ],
)
def test_resume_due(
    cal: WorkCalendar,
    paused: tuple[str, str],
    resumed: tuple[str, str],
    rule: str,
    due: tuple[str, str],
) -> None:
    original = cal.due(at("2026-03-02", "09:00"), THREE_DAYS)
    new_due = cal.resume_due(
        clock_started_at=original.clock_starts_at,
        due_at=original.due_at,
        paused_at=at(*paused),
        resumed_at=at(*resumed),
        rule=rule,
        limit=THREE_DAYS,
    )
    assert new_due == at(*due)


# --- errors --------------------------------------------------------------------------------


def _code(exc: pytest.ExceptionInfo[CalendarError]) -> str:
    return exc.value.code


def test_naive_datetime_is_refused(cal: WorkCalendar) -> None:
    with pytest.raises(CalendarError) as exc:
        cal.due(datetime(2026, 3, 2, 9), DAYS)
    assert _code(exc) == "naive_datetime"
    assert isinstance(exc.value, ValueError)


@pytest.mark.parametrize(
    ("received", "limit"),
    [
        (("2024-12-31", "10:00"), DAYS),  # before the horizon
        (("2028-01-01", "10:00"), DAYS),  # after it
        (("2027-12-30", "10:00"), TimeLimit(5, "working_days")),  # due beyond it
        (("2027-12-31", "18:00"), TimeLimit(0, "working_days")),  # no clock start left
        (("2027-12-31", "16:00"), SAME_DAY),  # no next working day left
    ],
)
def test_out_of_range(cal: WorkCalendar, received: tuple[str, str], limit: TimeLimit) -> None:
    with pytest.raises(CalendarError) as exc:
        cal.due(at(*received), limit)
    assert _code(exc) == "out_of_range"


def test_out_of_range_day(cal: WorkCalendar) -> None:
    with pytest.raises(CalendarError) as exc:
        cal.day_info(date(2028, 1, 1))
    assert _code(exc) == "out_of_range"


@pytest.mark.parametrize(
    ("amount", "unit", "code"),
    [(-1, "working_days", "negative_limit"), (1, "weeks", "unknown_unit")],
)
def test_bad_limits(amount: int, unit: str, code: str) -> None:
    with pytest.raises(CalendarError) as exc:
        TimeLimit(amount, unit)
    assert _code(exc) == code


def test_bad_resume(cal: WorkCalendar) -> None:
    kwargs = {
        "clock_started_at": at("2026-03-02", "09:00"),
        "due_at": at("2026-03-05", "09:00"),
        "limit": THREE_DAYS,
    }
    with pytest.raises(CalendarError) as exc:
        cal.resume_due(
            paused_at=at("2026-03-03", "09:00"), resumed_at=at("2026-03-03", "10:00"),
            rule="pause", **kwargs,
        )  # fmt: skip
    assert _code(exc) == "unknown_resume_rule"
    with pytest.raises(CalendarError) as exc:
        cal.resume_due(
            paused_at=at("2026-03-03", "09:00"), resumed_at=at("2026-03-03", "08:00"),
            rule="continue", **kwargs,
        )  # fmt: skip
    assert _code(exc) == "invalid_interval"


@pytest.mark.parametrize(
    ("options", "code"),
    [
        ({"last_day": date(2025, 12, 31)}, "invalid_horizon"),
        ({"days_off": {date(2026, 1, 10)}, "makeup_working_days": {date(2026, 1, 10)}},
         "conflicting_days"),
        ({"office_hours": (OfficeHours(valid_from=date(2026, 2, 1)),)}, "no_office_hours"),
    ],
)  # fmt: skip
def test_bad_calendars(options: dict[str, object], code: str) -> None:
    with pytest.raises(CalendarError) as exc:
        WorkCalendar(**{"first_day": date(2026, 1, 1), "last_day": date(2026, 12, 31), **options})
    assert _code(exc) == code


@pytest.mark.parametrize(
    "periods",
    [
        (),
        ((time(11), time(7)),),
        ((time(13), time(17)), (time(7), time(11))),
        ((time(7), time(12)), (time(11), time(17))),
    ],
)
def test_bad_office_hours(periods: tuple[tuple[time, time], ...]) -> None:
    with pytest.raises(CalendarError) as exc:
        OfficeHours(periods)
    assert _code(exc) == "invalid_office_hours"
