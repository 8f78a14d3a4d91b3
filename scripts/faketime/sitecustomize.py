"""Loaded by Python only under scripts/at-moment (this folder is put on PYTHONPATH there).

libfaketime 0.9.10 (Debian 12) is used with FAKETIME_DONT_FAKE_MONOTONIC=1: with a faked monotonic
clock every lock or event with a timeout waits for years. Without it, `time.sleep` fails with
EINVAL: CPython sleeps with an absolute CLOCK_MONOTONIC deadline (clock_nanosleep TIMER_ABSTIME),
which that libfaketime shifts by the faked offset. A relative wait has no such deadline, so sleep
by `select`. Only the way of waiting changes; what the clock says is libfaketime's.
"""

import os
import select
import time

if "faketime" in os.environ.get("LD_PRELOAD", ""):

    def _sleep(seconds: float) -> None:
        if seconds < 0:
            raise ValueError("sleep length must be non-negative")
        deadline = time.monotonic() + seconds
        while (left := deadline - time.monotonic()) > 0:
            select.select([], [], [], left)

    time.sleep = _sleep
