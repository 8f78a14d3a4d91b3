"""The calendar as an administrator keeps it: a year's official rows entered (it stops being
provisional)."""

from datetime import date

from xaso.workdays.services import calendar_change_create


def year_confirmed(year: int) -> None:
    """Enter one official row for `year` (a make-up Saturday in February), as the administrator
    does once the government publishes the year's swaps."""
    calendar_change_create(
        actor=None,
        date=date(year, 2, 13),
        kind="makeup_working_day",
        legal_reference="Thông báo (thử)",
        note="Làm bù",
    )
