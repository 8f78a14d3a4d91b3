"""A test that needs Redis or the S3 server skips without it on a developer's machine, but fails
under CI (`CI=true`, or `XASO_REQUIRE_SERVICES=1` that .ci/run sets): CI never passes by skipping
the RQ or the S3 tests."""

import pytest

from tests.helpers import services


def test_a_missing_service_skips_the_test_on_a_developer_machine(monkeypatch):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("XASO_REQUIRE_SERVICES", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no Redis"):
        services._unavailable("no Redis at redis://127.0.0.1:1/0")


@pytest.mark.parametrize("name, value", [("XASO_REQUIRE_SERVICES", "1"), ("CI", "true")])
def test_a_missing_service_fails_the_test_under_ci(monkeypatch, name, value):
    monkeypatch.delenv("CI", raising=False)
    monkeypatch.delenv("XASO_REQUIRE_SERVICES", raising=False)
    monkeypatch.setenv(name, value)
    with pytest.raises(pytest.fail.Exception, match="required under CI"):
        services._unavailable("moto[server] is not installed")
