"""Rate limits per client address (xaso.core.ratelimit), through tests/core/fake_api.py."""

import json
import uuid
from unittest import mock

import pytest
from django.test import Client, RequestFactory

from tests.helpers.api import assert_error
from xaso.core.idempotency import REPLAYED_HEADER
from xaso.core.ratelimit import client_address

pytestmark = pytest.mark.urls("tests.core.fake_api")

LOOKUP = "/api/test/lookup"
THINGS = "/api/test/things"


class Clock:
    """django-ratelimit's view of time (its windows are computed from time.time())."""

    def __init__(self, now: float = 1_800_000_000.0):
        self.now = now

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock():
    fake = Clock()
    with mock.patch("django_ratelimit.core.time", fake):
        yield fake


def lookup(address: str, **headers):
    return Client(REMOTE_ADDR=address).get(LOOKUP, **headers)


def submit(address: str, key: str | None = None):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    body = json.dumps({"name": "Thôn Lộc Tân"})
    return Client(REMOTE_ADDR=address).post(
        THINGS, data=body, content_type="application/json", **headers
    )


@pytest.mark.parametrize("run", [1, 2])  # the second run fails if the first one's counts leaked
def test_the_61st_submission_in_a_minute_gets_429_with_retry_after(db, settings, clock, run):
    settings.XASO_RATE_ANON_SUBMIT = "60/m"
    for _ in range(60):
        assert submit("203.0.113.10").status_code == 201
    refused = submit("203.0.113.10")
    error = assert_error(refused, 429, "rate_limited")
    retry_after = int(refused["Retry-After"])
    assert 1 <= retry_after <= 60
    assert error["details"] == {"retry_after": retry_after}
    assert submit("203.0.113.11").status_code == 201  # another address is not affected


def test_the_window_resets(db, settings, clock):
    settings.XASO_RATE_LOOKUP = "30/m"
    for _ in range(30):
        assert lookup("198.51.100.7").status_code == 200
    refused = lookup("198.51.100.7")
    assert_error(refused, 429, "rate_limited")
    clock.now += int(refused["Retry-After"]) - 1
    assert lookup("198.51.100.7").status_code == 429  # a second before the window ends
    clock.now += 1
    assert lookup("198.51.100.7").status_code == 200


def test_an_idempotent_replay_does_not_count(db, settings, clock):
    settings.XASO_RATE_ANON_SUBMIT = "3/m"
    key = str(uuid.uuid4())
    assert submit("203.0.113.10", key).status_code == 201
    for _ in range(10):
        replay = submit("203.0.113.10", key)
        assert replay.status_code == 201 and replay[REPLAYED_HEADER] == "true"
    assert submit("203.0.113.10").status_code == 201
    assert submit("203.0.113.10", str(uuid.uuid4())).status_code == 201
    refused_key = str(uuid.uuid4())
    refused = submit("203.0.113.10", refused_key)
    assert_error(refused, 429, "rate_limited")
    # The refusal was not stored as the key's answer: the key works once the window has passed.
    clock.now += int(refused["Retry-After"])
    retry = submit("203.0.113.10", refused_key)
    assert retry.status_code == 201 and REPLAYED_HEADER not in retry


def test_a_cache_outage_lets_requests_through(db):
    with mock.patch("xaso.core.ratelimit.get_usage", side_effect=ConnectionError("redis down")):
        assert lookup("198.51.100.7").status_code == 200


def address(remote_addr: str, forwarded: str | None = None) -> str:
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded is not None else {}
    return client_address(RequestFactory().get("/", REMOTE_ADDR=remote_addr, **headers))


def test_behind_our_proxy_the_client_is_the_last_forwarded_hop(settings):
    settings.XASO_PROXY_HOPS = 1
    # What the client wrote itself (the first entries) is never believed.
    assert address("127.0.0.1", "6.6.6.6, 1.2.3.4") == "1.2.3.4"
    assert address("10.0.0.2", "2001:db8::1") == "2001:db8::1"
    assert address("", "1.2.3.4") == "1.2.3.4"  # the proxy on a Unix socket
    assert address("10.0.0.2") == "10.0.0.2"  # no header: the peer
    assert address("10.0.0.2", "not-an-address") == "10.0.0.2"


def test_a_client_reaching_the_app_directly_cannot_choose_its_address(settings):
    settings.XASO_PROXY_HOPS = 1
    assert address("8.8.8.8", "1.2.3.4") == "8.8.8.8"


def test_without_a_proxy_the_header_is_ignored(settings):
    settings.XASO_PROXY_HOPS = 0
    assert address("10.0.0.2", "1.2.3.4") == "10.0.0.2"


def test_two_proxies_take_the_second_hop_from_the_right(settings):
    settings.XASO_PROXY_HOPS = 2
    assert address("10.0.0.2", "6.6.6.6, 1.2.3.4, 10.0.0.9") == "1.2.3.4"
    assert address("10.0.0.2", "1.2.3.4") == "10.0.0.2"  # fewer hops than proxies: not believed
