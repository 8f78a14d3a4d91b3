import pytest

from xaso.workdays.models import CalendarChange
from xaso.workdays.official import official_changes_load


@pytest.fixture
def official_2026(db):
    """The 2026 table as the migration seeds it (again, in case a transactional test flushed it)."""
    official_changes_load(CalendarChange)
