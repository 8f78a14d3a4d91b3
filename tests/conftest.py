import pytest
from django.conf import settings
from django.core.cache import caches
from django.core.management import call_command
from django.db import transaction
from django.utils import translation

from tests.helpers import page_figures
from tests.helpers.api import ApiClient
from tests.helpers.clock import TEST_MOMENT, clock_from
from tests.helpers.snapshot import Snapshot, snapshot_restore, snapshot_take
from tests.helpers.world import World, build_world
from xaso.workdays.calendars import calendar_cache_clear

DATABASE_FIXTURES = {"db", "transactional_db", "django_db_reset_sequences",
                     "django_db_serialized_rollback"}  # fmt: skip


def pytest_addoption(parser):
    parser.addoption(
        "--database-tests-only",
        action="store_true",
        help="run only the tests that touch the database (a second database's pass)",
    )


def pytest_collection_modifyitems(config, items):
    if not config.getoption("database_tests_only"):
        return
    kept, dropped = [], []
    for item in items:
        touches = DATABASE_FIXTURES & set(getattr(item, "fixturenames", ()))
        (kept if touches or item.get_closest_marker("django_db") else dropped).append(item)
    config.hook.pytest_deselected(items=dropped)
    items[:] = kept


def pytest_sessionfinish(session):
    if hasattr(session.config, "workeroutput"):  # a pytest-xdist worker: hand its pages over
        session.config.workeroutput["page_figures"] = page_figures.reported_rows()


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    page_figures.FIGURES.extend(getattr(node, "workeroutput", {}).get("page_figures", []))


def pytest_terminal_summary(terminalreporter):
    page_figures.report(terminalreporter)


@pytest.fixture
def world(db) -> World:
    """Two communes of one province, one of another, and a staff user for every role."""
    return build_world()


@pytest.fixture(autouse=True)
def test_clock():
    """Every test at TEST_MOMENT, whatever the machine's date, hour or weekday."""
    with clock_from(TEST_MOMENT):
        yield


@pytest.fixture(scope="session")
def demo_snapshot(django_db_setup, django_db_blocker) -> Snapshot:
    """`seed-demo` run once per test session, at the tests' moment (tests/helpers/snapshot.py)."""
    with django_db_blocker.unblock(), clock_from(TEST_MOMENT):
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
def default_language():
    """Each test starts in the default language: a request with an English cookie leaves its
    thread in English (LocaleMiddleware activates, nothing deactivates), and the next test in
    the same worker would file its dossiers in English."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


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
