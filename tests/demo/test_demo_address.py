"""`xaso demo --addr A --port N` is also the address its QR seals and links print."""

import pytest
from django.conf import settings

from xaso.demo.management.commands.demo import public_address, publish_address


@pytest.mark.parametrize(
    ("addr", "port", "url"),
    [
        ("127.0.0.1", 8124, "http://127.0.0.1:8124"),
        ("0.0.0.0", 8000, "http://127.0.0.1:8000"),  # noqa: S104 (a bind address, as typed)
        ("192.168.1.20", 8080, "http://192.168.1.20:8080"),
        ("::1", 8124, "http://[::1]:8124"),
    ],
)
def test_the_public_address_is_where_the_demo_listens(addr, port, url):
    assert public_address(addr, port) == url


@pytest.fixture
def environment(monkeypatch, settings):
    monkeypatch.delenv("XASO_PUBLIC_URL", raising=False)
    monkeypatch.delenv("ALLOWED_HOSTS", raising=False)
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
    return monkeypatch


def test_the_port_sets_the_public_url_here_and_for_the_children(environment):
    import os

    assert publish_address("127.0.0.1", 8124) == "http://127.0.0.1:8124"
    assert settings.XASO_PUBLIC_URL == os.environ["XASO_PUBLIC_URL"] == "http://127.0.0.1:8124"
    assert "ALLOWED_HOSTS" not in os.environ  # 127.0.0.1 is allowed already


def test_another_address_is_also_an_allowed_host(environment):
    import os

    publish_address("192.168.1.20", 8124)
    assert settings.ALLOWED_HOSTS == ["127.0.0.1", "localhost", "192.168.1.20"]
    assert os.environ["ALLOWED_HOSTS"] == "127.0.0.1,localhost,192.168.1.20"


def test_an_explicit_public_url_wins(environment, settings):
    import os

    environment.setenv("XASO_PUBLIC_URL", "https://demo.xaso.example")
    settings.XASO_PUBLIC_URL = "https://demo.xaso.example"
    assert publish_address("127.0.0.1", 8124) == "https://demo.xaso.example"
    assert os.environ["XASO_PUBLIC_URL"] == settings.XASO_PUBLIC_URL == "https://demo.xaso.example"
