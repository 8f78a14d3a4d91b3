"""What a browser receives from every page (OWASP ASVS 5.0 V3, V4, V13; docs/SECURITY.md)."""

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from tests.dossiers.conftest import demo  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db


def csp_of(response) -> dict[str, str]:
    policy = response.headers["Content-Security-Policy"]
    return dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())


@pytest.mark.parametrize("path", ["/", "/backoffice/login/", "/dang-nhap/"])
def test_every_page_forbids_plugins_framing_and_foreign_scripts(path):
    response = Client().get(path)
    csp = csp_of(response)
    assert csp["object-src"] == "'none'" and csp["frame-ancestors"] == "'none'"
    assert csp["default-src"] == "'self'" and "unsafe-inline" not in csp["script-src"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "Access-Control-Allow-Origin" not in response.headers


def test_the_api_answers_json_in_utf_8_and_allows_no_other_origin():
    response = Client().get("/api/v1/procedures", HTTP_ORIGIN="https://evil.example")
    assert response.headers["Content-Type"].startswith("application/json")
    assert "Access-Control-Allow-Origin" not in response.headers


def test_the_session_and_csrf_cookies_are_http_only_and_same_site(demo):  # noqa: F811
    from django.conf import settings

    client = Client()
    client.get("/backoffice/login/")
    response = client.post(
        "/backoffice/login/", {"username": "reception", "password": settings.XASO_DEMO_PASSWORD}
    )
    session = response.cookies["sessionid"]
    assert session["httponly"] and session["samesite"] == "Lax"
    csrf = client.cookies["csrftoken"]
    assert csrf["httponly"] and csrf["samesite"] == "Lax"


def test_the_login_masks_the_password_and_lets_managers_fill_it():
    page = Client().get("/backoffice/login/").content.decode()
    field = page.split('name="password"', 1)[1].split(">", 1)[0]
    assert 'type="password"' in page.split('name="password"', 1)[0][-200:] + field
    assert "onpaste" not in page and 'autocomplete="off"' not in field


def test_passwords_of_any_composition_and_64_characters_are_allowed_common_ones_are_not():
    validate_password("mật khẩu dài của cán bộ một cửa xã phú lộc — không cần ký tự đặc biệt!"[:64])
    validate_password("a" * 40 + "correct horse battery staple")
    for weak in ("password", "12345678", "short"):
        with pytest.raises(ValidationError):
            validate_password(weak)


def test_an_answer_of_one_tcp_segment_is_sent_as_is_and_a_larger_one_gzipped(demo):  # noqa: F811
    # The catalogue's JSON is several KB, a lookup's error a few bytes: both asked for gzip.
    large = Client().get("/api/v1/procedures", HTTP_ACCEPT_ENCODING="gzip")
    small = Client().get("/api/v1/dossiers/lookup?code=X&secret=Y", HTTP_ACCEPT_ENCODING="gzip")
    assert large.headers["Content-Encoding"] == "gzip"
    assert "Content-Encoding" not in small.headers and len(small.content) < 1400
    assert small.json()  # readable as it is


def test_the_policy_built_once_is_django_csps_own_and_follows_the_settings(demo):  # noqa: F811
    from csp.utils import build_policy
    from django.http import HttpResponse
    from django.test import RequestFactory, override_settings

    from xaso.core.middleware import PlainPolicyCSPMiddleware

    lookup = "/api/v1/dossiers/lookup?code=X&secret=Y"
    assert Client().get(lookup).headers["Content-Security-Policy"] == build_policy()
    # A view that asks for a nonce gets django-csp's policy with it.
    request = RequestFactory().get("/")
    middleware = PlainPolicyCSPMiddleware(lambda request: HttpResponse(str(request.csp_nonce)))
    answer = middleware(request)
    assert f"'nonce-{answer.content.decode()}'" in answer.headers["Content-Security-Policy"]
    stricter = {"DIRECTIVES": {"default-src": ["'none'"]}}
    with override_settings(CONTENT_SECURITY_POLICY=stricter):
        assert Client().get(lookup).headers["Content-Security-Policy"] == "default-src 'none'"
    assert Client().get(lookup).headers["Content-Security-Policy"] == build_policy()
