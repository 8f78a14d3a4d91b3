"""Real services for the tests that need them: a Redis database of the tests' own, and an S3
endpoint over HTTP (moto's standalone server, started on a free port).

Redis: `XASO_TEST_REDIS_URL` (default redis://127.0.0.1:6379/13: db 13 is the tests' own; only
it is ever flushed). When no Redis answers, the tests that need it are skipped, except under CI
(`CI=true`) or `XASO_REQUIRE_SERVICES=1`, where that is a failure: CI starts Redis (.ci/run).
"""

import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

REDIS_URL = os.environ.get("XASO_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")


def _required() -> bool:
    return os.environ.get("CI") == "true" or os.environ.get("XASO_REQUIRE_SERVICES") == "1"


def _unavailable(reason: str):
    if _required():
        pytest.fail(f"{reason} (required under CI / XASO_REQUIRE_SERVICES=1)")
    pytest.skip(reason)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, *, seconds: float = 20, process=None) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"the server on port {port} exited with {process.returncode}")
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise TimeoutError(f"nothing listens on port {port}")


@pytest.fixture
def redis_db():
    """The tests' Redis database, empty before and after the test."""
    try:
        import redis
    except ImportError:
        _unavailable("the redis client is not installed")
    client = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        _unavailable(f"no Redis at {REDIS_URL}")
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


class RedisServer:
    """A private redis-server of one test (to stop and start again: Redis down)."""

    def __init__(self, directory: Path):
        self.port = free_port()
        self.directory = directory
        self.process = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            _unavailable("redis-server is not installed")
        self.process = subprocess.Popen(
            [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.directory)],
            stdout=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port, process=self.process)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        self.process = None


@pytest.fixture
def private_redis(tmp_path):
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    """moto's S3 server on a free port: the endpoint URL. One per test session (or xdist worker)."""
    binary = Path(sys.executable).with_name("moto_server")
    if not binary.exists():
        _unavailable("moto[server] is not installed")
    port = free_port()
    log = (tmp_path_factory.mktemp("moto") / "moto.log").open("wb")
    process = subprocess.Popen(
        [str(binary), "-H", "127.0.0.1", "-p", str(port)], stdout=log, stderr=subprocess.STDOUT
    )
    try:
        wait_for_port(port, seconds=30, process=process)
        yield f"http://127.0.0.1:{port}"
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


S3_KEYS = {"access_key": "testing", "secret_key": "testing", "region": "us-east-1"}


@pytest.fixture
def s3_bucket(s3_endpoint, settings, request):
    """A fresh bucket on the S3 endpoint, and the settings that put the uploads in it."""
    import boto3

    name = f"xaso-test-{free_port()}-{os.getpid()}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        aws_access_key_id=S3_KEYS["access_key"],
        aws_secret_access_key=S3_KEYS["secret_key"],
        region_name=S3_KEYS["region"],
    )
    client.create_bucket(Bucket=name)
    settings.XASO_FILE_STORAGE = "s3"
    settings.XASO_S3 = {"bucket": name, "endpoint_url": s3_endpoint, "prefix": "media", **S3_KEYS}
    yield client, name
