from django.utils import translation

from tests.dossiers.conftest import submission
from tests.helpers.api import ApiClient


def test_the_receipt_qr_opens_the_dossier_status_without_personal_data(staff, at, client):
    at(2026, 11, 27, 10, 0)
    created = ApiClient().post("/api/v1/dossiers", submission()).json()
    url = f"/tra-cuu/?code={created['code']}&secret={created['lookup_secret'].lower()}"
    page = client.get(url, HTTP_COOKIE="django_language=en").content.decode()
    assert "Đăng ký khai sinh" in page and "Submitted" in page
    assert "0912345678" not in page and "066060001234" not in page


def test_a_wrong_secret_says_what_to_check(demo, client):
    with translation.override("en"):
        response = client.get("/tra-cuu/?code=DEMO-PL-261127-0001&secret=WRONG",
                              HTTP_COOKIE="django_language=en")  # fmt: skip
    assert response.status_code == 404
    assert "lookup secret printed on your receipt" in response.content.decode()
    assert client.get("/tra-cuu/").status_code == 200
