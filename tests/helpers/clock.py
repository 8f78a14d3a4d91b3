"""The moment every test runs at unless it sets its own: never the machine's clock.

Django's clock (`django.utils.timezone.now`, which `localdate()`, `auto_now` and sessions read)
starts at TEST_MOMENT for each test and ticks with the real monotonic clock, so the order of
events and short timeouts behave as in use. A test that needs another moment freezes it (the
`at` fixture of tests/dossiers, `frozen` in the browser tests) on top of this one.

A module that imported the function itself (`from django.utils.timezone import now`, as
django-axes does) holds its own reference: those references are found and set too, or one
request would read two clocks (axes would date a failed login now and count its cool-off from
the machine's time).
"""

import sys
import time
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime, timedelta
from unittest import mock
from zoneinfo import ZoneInfo

from django.utils import timezone

VN = ZoneInfo("Asia/Ho_Chi_Minh")
# A Wednesday of 2026 in office hours, no holiday near (24/11 is Culture Day, off).
TEST_MOMENT = datetime(2026, 11, 25, 9, 30, tzinfo=VN)


_REAL_NOW = timezone.now
_scanned: set[str] = set()
_holders: set[tuple[str, str]] = {("django.utils.timezone", "now")}


def clock_holders() -> set[tuple[str, str]]:
    """(module, name) of every loaded module's own reference to Django's clock."""
    for module_name, module in list(sys.modules.items()):
        if module_name in _scanned or module is None:
            continue
        _scanned.add(module_name)
        for name, value in list(getattr(module, "__dict__", {}).items()):
            if value is _REAL_NOW:
                _holders.add((module_name, name))
    return _holders


@contextmanager
def clock_from(moment: datetime, *, ticking: bool = True):
    """Django's clock (and every reference to it) says `moment`, then goes on from there;
    stands still at `moment` when not `ticking`."""
    start = time.monotonic()
    origin = moment.astimezone(UTC)

    def now() -> datetime:
        return origin + timedelta(seconds=time.monotonic() - start if ticking else 0)

    with ExitStack() as stack:
        for module_name, name in clock_holders():
            stack.enter_context(mock.patch.object(sys.modules[module_name], name, side_effect=now))
        yield


class Freezer:
    """freeze(2026, 11, 27, 10): the clock stands at that moment in Việt Nam until the next
    call or the end of the test (the `at` and `frozen` fixtures)."""

    def __init__(self) -> None:
        self._stack = ExitStack()

    def __call__(self, *parts: int) -> datetime:
        moment = datetime(*parts, tzinfo=VN)
        self._stack.enter_context(clock_from(moment, ticking=False))
        return moment

    def close(self) -> None:
        self._stack.close()
