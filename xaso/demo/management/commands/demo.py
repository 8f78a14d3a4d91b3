"""`xaso demo`: migrate, seed, then serve with gunicorn and the task worker until told to stop.

Stopping: SIGTERM, SIGINT (Ctrl-C) and SIGHUP (the terminal closed) all stop the demo and every
process it started, within STOP_SECONDS, and the command exits 0. Each child runs in a session of
its own, so a terminal's Ctrl-C reaches only this process, which then signals each child's whole
process group (gunicorn's master and its workers) once, waits, and kills what is left. On Linux
the children also get SIGTERM if this process dies without cleaning up (kill -9).
"""

import contextlib
import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)
# gunicorn lets its workers finish their requests for this long after SIGTERM...
GRACEFUL_SECONDS = 3
# ...and whatever still runs this long after the stop signal is killed (the promise: 10 s).
STOP_SECONDS = 5


def public_address(addr: str, port: int) -> str:
    """Where the demo is reached: what its QR seals and links print (XASO_PUBLIC_URL)."""
    host = "127.0.0.1" if addr in ("", "0.0.0.0", "::") else addr  # noqa: S104 (compared)
    return f"http://{f'[{host}]' if ':' in host else host}:{port}"


def publish_address(addr: str, port: int) -> str:
    """Set XASO_PUBLIC_URL (here and in the children's environment) to the demo's own address,
    unless the environment sets it; and allow that host name (unless ALLOWED_HOSTS is set)."""
    if os.environ.get("XASO_PUBLIC_URL"):
        return settings.XASO_PUBLIC_URL
    url = public_address(addr, port)
    os.environ["XASO_PUBLIC_URL"] = settings.XASO_PUBLIC_URL = url
    host = url.removeprefix("http://").rsplit(":", 1)[0]
    if not os.environ.get("ALLOWED_HOSTS") and host not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, host]
        os.environ["ALLOWED_HOSTS"] = ",".join(settings.ALLOWED_HOSTS)
    return url


class DemoStopped(BaseException):
    """A stop signal during the preparation (BaseException: no `except Exception` swallows it)."""


def _die_with_parent() -> None:  # pragma: no cover (runs in the child, between fork and exec)
    """Start a session of its own; on Linux, get SIGTERM when the demo process dies."""
    os.setsid()
    if sys.platform == "linux":
        with contextlib.suppress(OSError, AttributeError):
            import ctypes

            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def _signal_group(child: subprocess.Popen, signum: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(child.pid, signum)  # the child leads its own group (setsid)


def stop_children(children: list[subprocess.Popen], *, seconds: float = STOP_SECONDS) -> None:
    """SIGTERM to each child's process group, then SIGKILL to whatever is left after `seconds`.
    The children are reaped; their process groups are killed even when the leader exited first
    (a gunicorn worker outliving its master would hold the port)."""
    for child in children:
        _signal_group(child, signal.SIGTERM)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and any(child.poll() is None for child in children):
        time.sleep(0.1)
    for child in children:
        _signal_group(child, signal.SIGKILL)
        with contextlib.suppress(subprocess.TimeoutExpired):
            child.wait(timeout=2)


class Command(BaseCommand):
    help = "Migrate, seed the demo, and serve xaso with its task worker (what `make demo` runs)."

    def add_arguments(self, parser):
        parser.add_argument("--addr", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)

    def handle(self, *args, addr: str, port: int, **options):
        self.stop_signal: int | None = None
        # Before seeding: the seeded results' QR seals print it.
        url = publish_address(addr, port)
        for signum in STOP_SIGNALS:
            signal.signal(signum, self._stop_now)
        try:
            self._prepare()
        except DemoStopped:
            self._stopped()
            return
        # From here on a signal only sets the flag: the loop below stops the children.
        for signum in STOP_SIGNALS:
            signal.signal(signum, self._stop_later)
        self.stdout.write(f"\nxaso demo: {url}/  ·  API docs {url}/api/v1/docs  ·  {url}/healthz")
        if url != public_address(addr, port):
            self.stdout.write(
                _("(the address of XASO_PUBLIC_URL; listening on %(address)s)")
                % {"address": f"{addr}:{port}"}
            )
        self.stdout.write("Stop with Ctrl-C.\n")
        children: dict[str, subprocess.Popen] = {}
        failed = None
        try:
            children["gunicorn"] = self._start(self._server_command(addr, port))
            if self.stop_signal is None:
                children["worker"] = self._start([sys.executable, "-m", "xaso", "worker"])
            while self.stop_signal is None and failed is None:
                failed = next((name for name, c in children.items() if c.poll() is not None), None)
                time.sleep(0.2)
        finally:
            stop_children(list(children.values()))
        if failed is not None and self.stop_signal is None:
            raise CommandError(
                _("xaso demo: %(process)s exited with status %(status)s; the demo stopped.")
                % {"process": failed, "status": children[failed].returncode}
            )
        self._stopped()

    def _stopped(self) -> None:
        self.stdout.write(
            _("xaso demo: stopped (%(signal)s).") % {"signal": signal.strsignal(self.stop_signal)}
        )

    def _stop_now(self, signum, frame):
        self.stop_signal = signum
        for other in STOP_SIGNALS:  # a second signal must not interrupt the unwinding
            signal.signal(other, self._stop_later)
        raise DemoStopped

    def _stop_later(self, signum, frame):
        if self.stop_signal is None:
            self.stop_signal = signum

    def _prepare(self) -> None:
        call_command("migrate", interactive=False, verbosity=0)
        call_command("seed_demo", dossiers=True)
        if settings.XASO_COMPRESSED_STATIC:
            # Hashed, gzip- and brotli-compressed static files (XASO_COMPRESSED_STATIC, set by
            # `xaso`); without them WhiteNoise serves from the apps' folders.
            call_command("collectstatic", interactive=False, verbosity=0)

    def _start(self, command: list[str]) -> subprocess.Popen:
        return subprocess.Popen(command, preexec_fn=_die_with_parent)  # noqa: S603 (our interpreter, fixed arguments)

    @staticmethod
    def _server_command(addr: str, port: int) -> list[str]:
        # SQLite: one process, few threads: writers queue on the database lock, not on each other.
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "xaso.wsgi",
            "--bind",
            f"{addr}:{port}",
            "--worker-class",
            "gthread",
            "--workers",
            "1",
            "--threads",
            "4",
            "--graceful-timeout",
            str(GRACEFUL_SECONDS),
            "--no-control-socket",
            "--access-logfile",
            "-",
        ]
