import pytest

from xaso.workdays.calendars import calendar_cache_clear
from xaso.workdays.models import CalendarChange
from xaso.workdays.official import official_changes_load


@pytest.fixture(autouse=True)
def fresh_calendar_cache():
    """The per-process calendar cache outlives a test's rolled-back transaction: start clean."""
    calendar_cache_clear()
    yield
    calendar_cache_clear()


@pytest.fixture
def official_2026(db):
    """The 2026 table as the migration seeds it (again, in case a transactional test flushed it)."""
    official_changes_load(CalendarChange)
