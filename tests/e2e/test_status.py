"""The citizen follows a dossier on a phone: the status page with the fee's VietQR code, the
rating once returned, and sign-in by phone to "my dossiers". Every page is weighed and checked
with axe-core (tests/e2e/conftest.py)."""

import logging
import re

import pytest

from tests.dossiers.conftest import procedure_submission, submission
from tests.helpers.api import ApiClient
from tests.helpers.screenshots import shot
from xaso.accounts.models import User
from xaso.dossiers.models import Dossier


@pytest.fixture
def demo_world(demo_committed):
    """The demo commune, committed: the live server runs in another thread."""
    return {name: ApiClient().as_user(User.objects.get(username=name))
            for name in ("reception", "specialist", "leader")}  # fmt: skip


def test_status_page_shows_the_fee_and_its_vietqr_code_on_a_phone(page, audit, demo_world):
    page.goto("/tra-cuu/")
    audit("/tra-cuu/ (empty form)")
    body = procedure_submission("2.000635", "online", fixed={"copies": 3})
    created = ApiClient().post("/api/v1/dossiers", body).json()
    code, secret = created["code"], created["lookup_secret"]
    response = demo_world["reception"].post(f"/api/v1/dossiers/{code}/receive", {})
    assert response.status_code == 200, response.content
    # As the receipt's QR code opens it.
    page.goto(f"/tra-cuu/?code={code}&secret={secret}")
    assert page.get_by_role("heading", level=1).inner_text() == "Tra cứu hồ sơ"
    assert page.locator(".vietqr-code svg").is_visible()
    assert "24.000 ₫" in page.inner_text("main")
    assert re.search(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", page.inner_text(".facts"))
    qr = page.locator(".vietqr-code").bounding_box()
    assert qr["width"] >= 150  # big enough for a bank app to read from another phone
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "status-fee-vietqr")
    audit("/tra-cuu/?code… (fee and VietQR)")


def test_typing_the_code_and_secret_and_rating_without_javascript(browser, live_server, demo_world):
    created = ApiClient().post("/api/v1/dossiers", submission()).json()
    code, secret = created["code"], created["lookup_secret"]
    Dossier.objects.filter(code=code).update(state="returned")  # signing is the results' tests
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740},
        java_script_enabled=False, locale="vi-VN",
    )  # fmt: skip
    page = context.new_page()
    page.goto("/tra-cuu/")
    page.get_by_label("Mã hồ sơ").fill(code)
    page.get_by_label("Mã bí mật tra cứu").fill(secret.lower())
    page.get_by_role("button", name="Tra cứu").click()
    page.wait_for_url("**/tra-cuu/?code=*")
    assert "Đăng ký khai sinh" in page.inner_text("main")
    page.locator("label[for=score-5]").click()
    page.locator("#comment").fill("Cán bộ nhiệt tình")
    shot(page, "status-rating")
    page.locator("form.rating button[type=submit]").click()
    page.wait_for_url("**rated=1*")
    shot(page, "status-rated")
    context.close()
    assert Dossier.objects.get(code=code).rating == 5


def test_sign_in_by_phone_then_my_dossiers(page, audit, demo_world, caplog):
    page.goto("/dang-nhap/")
    audit("/dang-nhap/ (phone)")
    page.locator("#phone").fill("0912 345 678")
    with caplog.at_level(logging.INFO):
        page.locator("main form button[type=submit]").click()
        page.wait_for_url("**/dang-nhap/ma/**")
    audit("/dang-nhap/ma/ (code)")
    sent = [r.getMessage() for r in caplog.records if "sign-in code" in r.getMessage()]
    code = re.search(r"code (\d{6})", sent[-1]).group(1) if sent else None
    if code is None:  # notify sends it: read it back from its outbox
        from xaso.notify.models import OutboxMessage

        code = OutboxMessage.objects.filter(recipient="0912345678").latest("id").data["otp"]
    page.locator("#code").fill(code)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url("**/ho-so-cua-toi/")
    assert page.locator("main li").count() == 0  # nothing submitted from this account yet
    shot(page, "my-dossiers")
    audit("/ho-so-cua-toi/ (my dossiers)")
