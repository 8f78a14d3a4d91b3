"""/kiosk/: the touch screen in the commune office's hall (no sign-in, no personal data)."""
# ruff: noqa: F811 (the dossier tests' fixtures, imported here, are test arguments)

import pytest

from tests.dossiers.conftest import at, demo, staff, submission  # noqa: F401
from tests.helpers.api import ApiClient
from xaso.dossiers.models import Dossier
from xaso.portal.kiosk import parse_scan

EN = {"HTTP_COOKIE": "django_language=en"}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("https://xa.example/tra-cuu/?code=DEMO-PL-261130-0001&secret=AB12CD",
         ("DEMO-PL-261130-0001", "AB12CD")),
        ("/tra-cuu/?secret=AB12CD&code=DEMO-PL-261130-0001", ("DEMO-PL-261130-0001", "AB12CD")),
        ("  DEMO-PL-261130-0001   ab12cd ", ("DEMO-PL-261130-0001", "ab12cd")),
        ("DEMO-PL-261130-0001", ("DEMO-PL-261130-0001", "")),
        ("", ("", "")),
        ("x" * 5000, ("x" * 48, "")),
    ],
)  # fmt: skip
def test_what_the_scanner_types_is_read_as_code_and_secret(typed, expected):
    assert parse_scan(typed) == expected


def test_the_start_screen_has_three_large_choices_and_goes_back_by_itself(db, client):
    html = client.get("/kiosk/", **EN).content.decode()
    assert html.count('class="kiosk-tile"') == 3
    assert 'data-idle-seconds="90"' in html and "portal/kiosk.js" in html
    assert "<noscript><meta" not in html  # the start screen does not refresh itself
    html = client.get("/kiosk/tra-cuu/", **EN).content.decode()
    assert '<noscript><meta http-equiv="refresh" content="180;url=/kiosk/">' in html


def test_scanning_a_receipt_shows_the_status_without_personal_data(staff, client):
    created = ApiClient().post("/api/v1/dossiers", submission()).json()
    url = f"http://xa.example/tra-cuu/?code={created['code']}&secret={created['lookup_secret']}"
    response = client.get("/kiosk/tra-cuu/", {"scan": url}, **EN)
    html = response.content.decode()
    assert response.status_code == 200 and "Submitted" in html and "Đăng ký khai sinh" in html
    assert "0912345678" not in html and "Y Bhiơ Niê" not in html
    wrong = client.get("/kiosk/tra-cuu/", {"scan": f"{created['code']} WRONG"}, **EN)
    assert wrong.status_code == 404 and "lookup secret printed on your receipt" in (
        wrong.content.decode()
    )


def test_finding_a_procedure_offers_its_printable_guide(demo, client):
    html = client.get("/kiosk/thu-tuc/", {"q": "khai sinh"}, **EN).content.decode()
    assert "Đăng ký khai sinh" in html and "/thu-tuc/1.001193/huong-dan.pdf" in html
    assert client.get("/kiosk/thu-tuc/", {"q": "x" * 5000}).status_code == 200


def test_rating_at_the_kiosk_once_returned(staff, client):
    created = ApiClient().post("/api/v1/dossiers", submission()).json()
    code, secret = created["code"], created["lookup_secret"]
    Dossier.objects.filter(code=code).update(state="returned")  # signing is tested elsewhere
    html = client.get("/kiosk/tra-cuu/", {"scan": f"{code} {secret}"}, **EN).content.decode()
    assert 'action="/kiosk/danh-gia/"' in html
    response = client.post("/kiosk/danh-gia/", {"code": code, "secret": secret, "score": "5"})
    assert response.status_code == 302 and response["Location"].startswith("/kiosk/tra-cuu/")
    assert "Thank you" in client.get(response["Location"], **EN).content.decode()
    assert Dossier.objects.get(code=code).rating == 5
    refused = client.post("/kiosk/danh-gia/", {"code": code, "secret": secret, "score": "1"})
    assert refused.status_code == 409  # already rated
