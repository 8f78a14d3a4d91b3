"""The seeded 2026 table with `holidays.VN` gives the official 2026 calendar (DOMAIN.md §6)."""

from datetime import date, timedelta

import holidays

from tests.helpers.calendar_2026 import MAKEUP_2026, OFFICIAL_OFF_WEEKDAYS_2026
from xaso.workdays.calendars import build_calendar
from xaso.workdays.models import CalendarChange
from xaso.workdays.official import OFFICIAL_CHANGES_2026, official_changes_load


def test_the_migration_seeded_the_2026_table(db):
    rows = {
        (row.date, row.kind)
        for row in CalendarChange.objects.filter(province__isnull=True, date__year=2026)
    }
    assert rows == {(change.date, change.kind) for change in OFFICIAL_CHANGES_2026}
    for row in CalendarChange.objects.filter(date__year=2026):
        assert row.legal_reference and not row.verified  # numbers not checked against the gazette


def test_the_2026_calendar_equals_the_official_one(official_2026):
    calendar = build_calendar(base_year=2026, province_id=None).calendar
    day = date(2026, 1, 1)
    while day.year == 2026:
        expected = day in MAKEUP_2026 or (
            day.weekday() < 5 and day not in OFFICIAL_OFF_WEEKDAYS_2026
        )
        assert calendar.is_working_day(day) is expected, day
        day += timedelta(days=1)


def test_what_the_package_lacks_is_in_the_table():
    """Why the table exists: holidays.VN lacks Fri 2/1 and both make-up Saturdays of 2026."""
    package = holidays.VN(years=2026)
    weekdays_off = {day for day in package if day.weekday() < 5}
    seeded = {change.date for change in OFFICIAL_CHANGES_2026}
    assert OFFICIAL_OFF_WEEKDAYS_2026 - weekdays_off <= seeded
    assert seeded >= MAKEUP_2026
    assert weekdays_off <= OFFICIAL_OFF_WEEKDAYS_2026


def test_loading_again_creates_nothing_and_keeps_an_administrators_edit(official_2026):
    row = CalendarChange.objects.get(date=date(2026, 1, 2), province__isnull=True)
    row.legal_reference = "Số văn bản đã đối chiếu"
    row.verified = True
    row.save()
    assert official_changes_load(CalendarChange) == 0
    row.refresh_from_db()
    assert (row.legal_reference, row.verified) == ("Số văn bản đã đối chiếu", True)


def test_the_required_holidays_release_knows_culture_day():
    """pyproject requires holidays >= 0.106: 24/11 is a day off from 2026 on, also in years the
    table has no rows for yet (2027 is provisional, but its 24/11 is not a guess)."""
    for year in (2026, 2027):
        package = holidays.VN(years=year, language="vi")
        assert package.get(date(year, 11, 24)) == "Ngày Văn hóa Việt Nam", year
    assert date(2025, 11, 24) not in holidays.VN(years=2025)
