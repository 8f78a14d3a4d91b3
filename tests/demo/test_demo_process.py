"""`xaso demo` as a real process: SIGTERM, SIGINT and SIGHUP stop it and everything it started.

One temporary SQLite database serves every test of the module: the first start migrates and seeds
it (the slow part), the later ones find it ready. Linux only (the processes are read from /proc).
"""

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc")

START_SECONDS = 240  # the first start migrates and seeds a database on a shared machine
STOP_SECONDS = 10  # the promise of `xaso demo`


@pytest.fixture(scope="module")
def demo_home(tmp_path_factory):
    return tmp_path_factory.mktemp("demo")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_free(port: int) -> bool:
    """A new server could listen on it (connections in TIME_WAIT do not count, as for gunicorn)."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
            probe.listen()
        except OSError:
            return False
    return True


def demo_environment(home: Path, **extra) -> dict:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("XASO_", "SECRET", "DJANGO_", "DATABASE_URL", "ALLOWED_HOSTS"))
    }
    environment.update(
        {
            "DATABASE_URL": f"sqlite:///{home / 'demo.sqlite3'}",
            "XASO_VAR_DIR": str(home / "var"),
            "XASO_MEDIA_ROOT": str(home / "media"),
            # Static files from the apps' folders: no collectstatic at each start.
            "XASO_COMPRESSED_STATIC": "0",
            **extra,
        }
    )
    return environment


def processes() -> dict[int, tuple[int, str]]:
    """pid -> (parent pid, state) of every process, from /proc."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        found[int(entry.name)] = (int(fields[1]), fields[0])
    return found


def descendants(pid: int) -> set[int]:
    table = processes()
    family, frontier = set(), {pid}
    while frontier:
        frontier = {child for child, (parent, _s) in table.items() if parent in frontier}
        family |= frontier
    return family


def alive(pids: set[int]) -> set[int]:
    table = processes()
    return {pid for pid in pids if pid in table and table[pid][1] != "Z"}


def using_database(home: Path) -> set[int]:
    """Processes whose environment names this demo's database: all it started, however detached."""
    marker = str(home / "demo.sqlite3").encode()
    found = set()
    for pid in alive(set(processes())):
        try:
            if marker in Path(f"/proc/{pid}/environ").read_bytes():
                found.add(pid)
        except OSError:
            continue
    return found


def environment_of(pid: int) -> dict[str, str]:
    raw = Path(f"/proc/{pid}/environ").read_bytes().decode(errors="replace")
    return dict(item.split("=", 1) for item in raw.split("\0") if "=" in item)


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def start_demo(home: Path, port: int, **extra) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "xaso", "demo", "--port", str(port)],
        env=demo_environment(home, **extra),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def wait_until_serving(demo: subprocess.Popen, port: int) -> set[int]:
    """Wait for the web server to answer and the task worker to run; returns their pids."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        assert demo.poll() is None, demo.stdout.read()
        family = descendants(demo.pid)
        worker = any("xaso worker" in command_line(pid) for pid in family)
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                serving = answer.status == 200
        except OSError:
            serving = False
        if serving and worker:
            return descendants(demo.pid)  # now with the gunicorn worker that answered
        time.sleep(0.3)
    demo.kill()
    pytest.fail(f"the demo did not start in {START_SECONDS} s:\n{demo.communicate()[0]}")


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT, signal.SIGHUP])
def test_a_stop_signal_stops_the_demo_and_every_child(demo_home, signum):
    port = free_port()
    demo = start_demo(demo_home, port)
    try:
        family = wait_until_serving(demo, port)
        # gunicorn's master and worker, and the task worker
        assert len(family) >= 3, [command_line(pid) for pid in family]
        # --port is also the address of the QR seals and links, in every child
        urls = {environment_of(pid).get("XASO_PUBLIC_URL") for pid in family}
        assert urls == {f"http://127.0.0.1:{port}"}
        sent = time.monotonic()
        demo.send_signal(signum)
        output, _ = demo.communicate(timeout=STOP_SECONDS)
        took = time.monotonic() - sent
    finally:
        if demo.poll() is None:
            demo.kill()
    assert demo.returncode == 0, output
    assert took < STOP_SECONDS
    assert alive(family) == set(), [command_line(pid) for pid in alive(family)]
    assert using_database(demo_home) == set()
    assert port_free(port)
    assert "xaso demo:" in output.splitlines()[-1]


def has_open(pid: int, path: Path) -> bool:
    try:
        return any(str(path) in os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False


def test_a_stop_signal_while_preparing_stops_it_too(demo_home):
    port = free_port()
    demo = start_demo(demo_home, port)
    try:
        deadline = time.monotonic() + START_SECONDS
        while not has_open(demo.pid, demo_home / "demo.sqlite3"):  # migrating, then seeding
            assert demo.poll() is None and time.monotonic() < deadline
            time.sleep(0.05)
        demo.send_signal(signal.SIGTERM)
        output, _ = demo.communicate(timeout=STOP_SECONDS)
    finally:
        if demo.poll() is None:
            demo.kill()
    assert demo.returncode == 0, output
    assert using_database(demo_home) == set()
    assert port_free(port)
