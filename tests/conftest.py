import pytest
from django.core.cache import caches

from tests.helpers.api import ApiClient
from tests.helpers.world import World, build_world
from xaso.workdays.calendars import calendar_cache_clear


@pytest.fixture
def world(db) -> World:
    """Two communes of one province, one of another, and a staff user for every role."""
    return build_world()


@pytest.fixture
def api() -> ApiClient:
    return ApiClient()


@pytest.fixture(autouse=True)
def fresh_calendar_cache():
    """The per-process calendar cache outlives a test's rolled-back transaction: start clean."""
    calendar_cache_clear()
    yield
    calendar_cache_clear()


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counters live in a cache, outside the test's transaction: no test inherits
    another's counts."""
    caches["ratelimit"].clear()
    yield
    caches["ratelimit"].clear()
