"""The settings behave as the operator reads in the README: run `xaso` as a real command."""

import os
import subprocess
import sys

import pytest


def run_xaso(*args, tmp_path, **env):
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("XASO_", "SECRET", "DJANGO_", "DATABASE_URL"))
    }
    environment.update({"XASO_VAR_DIR": str(tmp_path), **env})
    return subprocess.run(
        [sys.executable, "-m", "xaso", *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "XASO_DEBUG": "0",
    "SECRET_KEY": "x" * 20 + "a-long-random-production-secret-key-0123456789",
    "ALLOWED_HOSTS": "xaso.example.gov.vn",
    "XASO_FIELD_KEY": "dGVzdHMtb25seS1ub3QtYS1zZWNyZXQtMDEyMzQ1Njc=",
    "XASO_SIGNING_KEY": "dGVzdHMtb25seS1zaWduaW5nLWtleS0wMTIzNDU2Nzg=",
    "XASO_NOTIFY_CHANNEL": "email",
    "XASO_NOTIFY_EMAIL_FROM": "xaso@example.gov.vn",
}


def test_production_check_deploy_has_no_warnings(tmp_path):
    result = run_xaso("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path,
                      **PRODUCTION)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_f5_production_refuses_to_start_with_the_log_channel(tmp_path):
    production = {**PRODUCTION}
    del production["XASO_NOTIFY_CHANNEL"]  # the default: log
    result = run_xaso("check", tmp_path=tmp_path, **production)
    assert result.returncode != 0
    assert result.stderr.startswith("xaso: configuration error: XASO_NOTIFY_CHANNEL is 'log'")
    assert "XASO_NOTIFY_LOG_ALLOWED=1" in result.stderr and "Traceback" not in result.stderr


def test_f5_an_allowed_log_channel_starts_and_check_deploy_warns(tmp_path):
    production = {**PRODUCTION, "XASO_NOTIFY_CHANNEL": "log", "XASO_NOTIFY_LOG_ALLOWED": "1"}
    assert run_xaso("check", tmp_path=tmp_path, **production).returncode == 0
    result = run_xaso("check", "--deploy", "--fail-level", "WARNING", tmp_path=tmp_path,
                      **production)  # fmt: skip
    assert result.returncode != 0
    assert "notify.W001" in result.stderr + result.stdout


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("XASO_SESSION_SECONDS", "eight hours", "XASO_SESSION_SECONDS must be a whole number"),
        ("XASO_UPLOAD_MAX_BYTES", "0", "XASO_UPLOAD_MAX_BYTES must be at least 1"),
        ("XASO_NOTIFY_HTTP_TIMEOUT", "soon", "XASO_NOTIFY_HTTP_TIMEOUT must be a number"),
        ("XASO_PROXY_HOPS", "1.5", "XASO_PROXY_HOPS must be a whole number"),
    ],
)
def test_a_setting_that_is_not_a_number_stops_xaso_with_one_clear_line(
    tmp_path, variable, value, message
):
    result = run_xaso("check", tmp_path=tmp_path, **{**PRODUCTION, variable: value})
    assert result.returncode != 0
    assert result.stderr.startswith(f"xaso: configuration error: {message}")
    assert "Traceback" not in result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = run_xaso("check", tmp_path=tmp_path, XASO_DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is required" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("run", [1, 2])
def test_the_demo_key_is_generated_once_and_kept(tmp_path, run):
    for _ in range(run):
        assert run_xaso("check", tmp_path=tmp_path, XASO_DEBUG="1").returncode == 0
    key = (tmp_path / "secret_key").read_text()
    assert len(key) > 50
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"


def test_production_refuses_to_start_without_a_field_key(tmp_path):
    result = run_xaso("check", tmp_path=tmp_path, XASO_DEBUG="0", SECRET_KEY="x" * 60)
    assert result.returncode != 0
    assert "XASO_FIELD_KEY is required" in result.stderr


def test_the_demo_shows_its_own_404_page_and_logs_each_warning_once(tmp_path):
    """XASO_DEBUG=1 (as `xaso demo` runs): not Django's technical page, which lists every URL
    pattern, and the warning of the missing page once, not once per handler."""
    probe = (
        "from django.test import Client\n"
        "response = Client(HTTP_HOST='localhost').get('/khong-co-trang-nay/')\n"
        "print(response.status_code, 'URLconf' in response.content.decode())\n"
        "print('Không tìm thấy trang' in response.content.decode())\n"
    )
    result = run_xaso(
        "shell", "--no-imports", "-c", probe, tmp_path=tmp_path, XASO_DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path}/demo.sqlite3",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["404 False", "True"]
    assert result.stderr.count("Not Found: /khong-co-trang-nay/") == 1
