"""F13: pages and answers with personal data are never stored by a cache, and lookup secrets and
draft tokens do not reach the logs."""

import logging
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.test import Client
from gunicorn.config import Config

from tests.dossiers.conftest import demo, submission  # noqa: F401 (fixtures)
from tests.helpers.api import ApiClient
from xaso.core.accesslog import RedactingLogger, RedactSecretsFilter, redacted


@pytest.fixture
def filed(demo):  # noqa: F811
    answer = ApiClient().post("/api/v1/dossiers", submission()).json()
    return answer["code"], answer["lookup_secret"]


def test_f13_personal_data_answers_are_no_store(demo, filed):  # noqa: F811
    code, secret = filed
    staff = Client()
    staff.force_login(demo["reception"])
    answers = [
        Client().get(f"/tra-cuu/?code={code}&secret={secret}"),
        ApiClient().get(f"/api/v1/dossiers/lookup?code={code}&secret={secret}"),
        ApiClient().as_user(demo["reception"]).get(f"/api/v1/dossiers/{code}"),
        staff.get(f"/backoffice/dossiers/{code}/"),
        Client().get("/thu-tuc/1.001193/nop/"),
    ]
    for answer in answers:
        assert answer.status_code in (200, 302), answer
        assert answer["Cache-Control"] == "no-store", answer.request["PATH_INFO"]


def test_f13_secrets_in_urls_are_redacted_in_gunicorn_access_log():
    logger = RedactingLogger(Config())
    environ = {
        "REQUEST_METHOD": "GET",
        "RAW_URI": "/tra-cuu/?code=DEMO-PL-261125-0001&secret=ABCD2345EF",
        "PATH_INFO": "/tra-cuu/",
        "QUERY_STRING": "code=DEMO-PL-261125-0001&secret=ABCD2345EF",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_REFERER": "https://xa.example.vn/thu-tuc/1.001193/nop/tiep-tuc/Zq9-draft-token/",
        "REMOTE_ADDR": "10.0.0.2",
    }
    response = SimpleNamespace(status="200 OK", sent=10, headers=[])
    atoms = logger.atoms(response, SimpleNamespace(headers=[]), environ, timedelta(seconds=1))
    line = " ".join(str(atoms[key]) for key in ("r", "q", "f"))
    assert "ABCD2345EF" not in line and "Zq9-draft-token" not in line
    assert "code=DEMO-PL-261125-0001&secret=[redacted]" in atoms["r"]


def test_f13_django_request_logs_are_redacted():
    path = "/api/v1/drafts/Zq9-draft-token"
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found: %s", (path,), None
    )
    assert RedactSecretsFilter().filter(record)
    assert record.getMessage() == "Not Found: /api/v1/drafts/[redacted]"
    assert redacted('"GET /api/v1/results/download?code=X&secret=S3CRET HTTP/1.1"') == (
        '"GET /api/v1/results/download?code=X&secret=[redacted] HTTP/1.1"'
    )
