from unittest import mock

from django.db import OperationalError


def test_healthz_reports_the_database(db, client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_is_503_when_the_database_is_unreachable(db, client):
    with mock.patch("xaso.core.views.connection.cursor", side_effect=OperationalError("down")):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_api_docs_and_schema_are_served(db, client):
    assert client.get("/api/v1/docs").status_code == 200
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/auth/token" in schema["paths"]


def test_home_page_is_vietnamese_by_default_and_english_on_request(db, client):
    page = client.get("/").content.decode()
    assert 'lang="vi"' in page
    assert "Dịch vụ công" in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert "Public services of the commune" in client.get("/").content.decode()


def test_an_english_phone_still_gets_vietnamese_until_english_is_chosen(db, client):
    page = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="vi"' in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/", HTTP_ACCEPT_LANGUAGE="vi").content.decode()


def test_the_api_honours_accept_language(db, client):
    response = client.get("/api/v1/places/communes/nope", HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["error"]["message"] == "Not found."
