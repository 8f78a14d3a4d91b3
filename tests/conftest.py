import pytest
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction

from tests.helpers.api import ApiClient
from tests.helpers.snapshot import Snapshot, snapshot_restore, snapshot_take
from tests.helpers.world import World, build_world
from xaso.workdays.calendars import calendar_cache_clear


@pytest.fixture
def world(db) -> World:
    """Two communes of one province, one of another, and a staff user for every role."""
    return build_world()


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker) -> Snapshot:
    """`seed-demo` run once per test session (see tests/helpers/snapshot.py)."""
    with django_db_blocker.unblock():
        return snapshot_take(lambda: call_command("seed_demo", verbosity=0))


def demo_restore(snapshot: Snapshot) -> None:
    """The demo as `seed-demo` leaves it, in a few queries; committed in a transactional test."""
    with transaction.atomic():
        snapshot_restore(snapshot)


@pytest.fixture
def demo_seeded(db, demo_snapshot) -> None:
    demo_restore(demo_snapshot)


@pytest.fixture
def demo_committed(transactional_db, demo_snapshot) -> None:
    """The demo, committed: for a live server, which reads it from another thread."""
    demo_restore(demo_snapshot)


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
