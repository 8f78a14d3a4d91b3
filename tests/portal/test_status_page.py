"""/tra-cuu/: the citizen's status page, with the Django test client (no JavaScript)."""
# ruff: noqa: F811 (the dossier tests' fixtures, imported here, are test arguments)

import re

from django.test import Client, override_settings

from tests.dossiers.conftest import at, demo, procedure_submission, staff, submission  # noqa: F401
from tests.helpers.api import ApiClient
from xaso.dossiers import hooks
from xaso.dossiers.models import Dossier

EN = {"HTTP_COOKIE": "django_language=en"}


def online(staff) -> tuple[str, str]:
    created = ApiClient().post("/api/v1/dossiers", submission()).json()
    return created["code"], created["lookup_secret"]


def act(client, code, action, body=None):
    response = client.post(f"/api/v1/dossiers/{code}/{action}", body or {})
    assert response.status_code == 200, response.content
    return response.json()


def page(client, code, secret, **extra) -> tuple[int, str]:
    response = client.get("/tra-cuu/", {"code": code, "secret": secret, **extra}, **EN)
    return response.status_code, response.content.decode()


def main_text(html: str) -> str:
    """The page's main content, with the typed values taken out (they are echoed in the form)."""
    body = html.split('<main id="main">', 1)[1].split("</main>", 1)[0]
    return re.sub(r'value="[^"]*"', 'value=""', body)


def test_wrong_secret_gives_the_same_answer_as_an_unknown_code(staff, client):
    code, _secret = online(staff)
    wrong_secret = page(client, code, "WRONG1")
    unknown_code = page(client, "DEMO-PL-000000-9999", "WRONG1")
    assert wrong_secret[0] == unknown_code[0] == 404
    assert main_text(wrong_secret[1]) == main_text(unknown_code[1])
    assert "Đăng ký khai sinh" not in wrong_secret[1]


def test_the_lookup_is_rate_limited_per_address(staff, client, settings):
    code, secret = online(staff)
    settings.XASO_RATE_LOOKUP = "3/m"
    assert [page(client, code, "WRONG")[0] for _ in range(3)] == [404, 404, 404]
    status, html = page(client, code, secret)  # even the right secret waits now
    assert status == 429 and "Đăng ký khai sinh" not in html
    assert client.get("/tra-cuu/").status_code == 200  # the empty form is not counted


def test_submitted_then_received_shows_appointment_time_left_and_timeline(staff, at, client):
    at(2026, 11, 30, 9, 0)  # a Monday
    code, secret = online(staff)
    status, html = page(client, code, secret)
    assert status == 200 and "Submitted" in html and "left" not in html
    at(2026, 11, 30, 9, 30)
    act(staff["reception"], code, "receive")
    at(2026, 11, 30, 10, 0)
    status, html = page(client, code, secret)
    assert "Processing" in html
    assert "30/11/2026 17:00" in html  # the appointment, dd/mm/yyyy HH:MM
    assert "5 hours left" in html and "Counted in working time" in html
    assert html.index("Processing") < html.index("Submitted")  # newest first
    assert "0912345678" not in html and "066060001234" not in html


def test_overdue_is_said_plainly(staff, at, client):
    at(2026, 11, 30, 9, 0)
    code, secret = online(staff)
    act(staff["reception"], code, "receive")
    at(2026, 12, 1, 10, 0)  # due Monday 17:00; Tuesday from 7:00 to 10:00 is late
    _status, html = page(client, code, secret)
    assert "Overdue by 3 hours" in html


def test_the_fee_and_its_vietqr_code_once_received(staff, at, client):
    at(2026, 11, 30, 9, 0)
    created = (
        ApiClient()
        .post("/api/v1/dossiers", procedure_submission("2.000635", "online", fixed={"copies": 3}))
        .json()
    )
    code, secret = created["code"], created["lookup_secret"]
    assert "VietQR" not in page(client, code, secret)[1]  # not before the desk fixes the fee
    act(staff["reception"], code, "receive")
    _status, html = page(client, code, secret)
    assert "24.000 ₫" in html
    assert 'class="vietqr-code"' in html and "<svg" in html and "XASO DEMOPL2611300001" in html
    assert "Agribank" in html


def test_the_signed_result_is_offered_when_results_contributes_it(staff, at, client):
    at(2026, 11, 30, 9, 0)
    code, secret = online(staff)
    previous = hooks._contributors.get(("result",)), hooks._joined.get(("result",))
    hooks.register_contributor(
        "result",
        lambda dossier: {"document_number": "12/2026/TLKS", "download_url": "/ket-qua/x.pdf"},
    )
    try:
        html = page(client, code, secret)[1]
    finally:  # the results app's own contributor and the rows it joins, as they were
        for registry, kept in zip((hooks._contributors, hooks._joined), previous, strict=True):
            if kept is None:
                registry.pop(("result",), None)
            else:
                registry[("result",)] = kept
    secret_upper = Dossier.objects.get(code=code).lookup_secret
    assert "12/2026/TLKS" in html and f'href="/ket-qua/x.pdf?secret={secret_upper}"' in html


def returned(staff, at) -> tuple[str, str]:
    at(2026, 11, 30, 9, 0)
    code, secret = online(staff)
    act(staff["reception"], code, "receive")
    # Signing (the leader's approval) is the results app's business and has its own tests: here
    # the dossier is simply put where the rating form appears.
    Dossier.objects.filter(code=code).update(state="returned")
    return code, secret


def test_the_rating_form_once_returned_works_without_javascript(staff, at):
    code, secret = online(staff)
    browser = Client(enforce_csrf_checks=True)
    browser.cookies["django_language"] = "en"
    assert (
        "score" not in browser.get("/tra-cuu/", {"code": code, "secret": secret}).content.decode()
    )
    code, secret = returned(staff, at)
    html = browser.get("/tra-cuu/", {"code": code, "secret": secret}).content.decode()
    assert 'name="score"' in html
    token = browser.cookies["csrftoken"].value
    response = browser.post(
        "/tra-cuu/danh-gia/",
        {"code": code, "secret": secret.lower(), "score": "4", "comment": "Nhanh",
         "csrfmiddlewaretoken": token},
    )  # fmt: skip
    assert response.status_code == 302
    html = browser.get(response["Location"]).content.decode()
    assert "Thank you" in html and "You rated this service 4 out of 5" in html
    assert Dossier.objects.get(code=code).rating == 4


def test_a_bad_rating_is_refused_with_the_status_still_shown(staff, at, client):
    code, secret = returned(staff, at)
    response = client.post("/tra-cuu/danh-gia/", {"code": code, "secret": secret, "score": "9"})
    assert response.status_code == 400
    assert 'name="score"' in response.content.decode()
    wrong = client.post("/tra-cuu/danh-gia/", {"code": code, "secret": "WRONG", "score": "5"})
    assert wrong.status_code == 404
    assert Dossier.objects.get(code=code).rating is None
    client.post("/tra-cuu/danh-gia/", {"code": code, "secret": secret, "score": "5"})
    again = client.post("/tra-cuu/danh-gia/", {"code": code, "secret": secret, "score": "1"})
    assert again.status_code == 409 and Dossier.objects.get(code=code).rating == 5
    assert client.get("/tra-cuu/danh-gia/").status_code == 405


@override_settings(LANGUAGE_CODE="vi")
def test_the_page_is_vietnamese_by_default(staff, client):
    code, secret = online(staff)
    html = client.get("/tra-cuu/", {"code": code, "secret": secret}).content.decode()
    assert 'lang="vi"' in html and "Đăng ký khai sinh" in html
