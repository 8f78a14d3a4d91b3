"""Anyone checks a signed result on a phone: upload its PDF, or open its QR code's address."""

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection

from tests.helpers.screenshots import shot
from tests.results.conftest import awaiting_signature
from xaso.accounts.models import User
from xaso.dossiers import services
from xaso.results.models import ResultDocument

PHONE_WIDTH = 360
TOUCH_TARGET = 40


def _sign_one() -> int:
    users = {user.username: user for user in User.objects.all()}
    dossier = services.dossier_approve(actor=users["leader"], dossier=awaiting_signature(users))
    try:
        return ResultDocument.objects.get(dossier=dossier).pk
    finally:
        connection.close()


@pytest.fixture
def signed(demo_committed):
    """A birth extract signed by the demo leader (committed: the live server is another thread).
    Signed in a thread of its own: pyHanko runs its own event loop (asyncio.run), which cannot
    start in this thread, where Playwright's sync API keeps one running."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        pk = pool.submit(_sign_one).result()
    return ResultDocument.objects.get(pk=pk)


def check_file(page, path: Path) -> str:
    page.goto("/xac-thuc/")
    page.locator("#document").set_input_files(str(path))
    button = page.locator("form[enctype] button[type=submit]")
    assert button.bounding_box()["height"] >= TOUCH_TARGET
    button.click()
    page.wait_for_selector("[data-status]")
    return page.locator("[data-status]").get_attribute("data-status")


def test_a_signed_result_is_checked_by_file_and_by_qr_on_a_phone(page, signed, tmp_path):
    genuine = tmp_path / "ket-qua.pdf"
    genuine.write_bytes(bytes(signed.pdf))
    assert check_file(page, genuine) == "valid"
    verdict = page.locator("[data-status]")
    assert verdict.get_by_role("heading", level=2).is_visible()
    assert signed.number in verdict.inner_text()
    # The paper named, to match a printed copy: its kind and holder, nothing of the applicant.
    assert "Trích lục khai sinh" in verdict.inner_text()
    assert signed.holder_name in verdict.inner_text()
    assert "066060001234" not in page.content() and "Y Bhiơ" not in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    shot(page, "verify-valid")

    page.goto(f"/xac-thuc/?seal={quote(signed.seal)}")
    assert page.locator("[data-status]").get_attribute("data-status") == "valid"
    assert page.locator("#seal").input_value() == signed.seal

    changed = bytearray(signed.pdf)
    changed[len(changed) // 2] ^= 0x01
    tampered = tmp_path / "da-sua.pdf"
    tampered.write_bytes(bytes(changed))
    assert check_file(page, tampered) == "tampered"
    shot(page, "verify-tampered")


def test_a_file_that_is_not_a_pdf_gets_a_clear_error(browser, live_server, transactional_db,
                                                     tmp_path):  # fmt: skip
    # Not the `page` fixture: Chromium logs the intended 400 as a console error.
    context = browser.new_context(base_url=live_server.url, viewport={"width": 360, "height": 740},
                                  locale="vi-VN", is_mobile=True)  # fmt: skip
    page = context.new_page()
    photo = tmp_path / "anh.pdf"
    photo.write_bytes(b"\xff\xd8\xff\xe0 not a pdf")
    page.goto("/xac-thuc/")
    page.locator("#document").set_input_files(str(photo))
    with page.expect_response(lambda response: response.request.method == "POST") as answer:
        page.locator("form[enctype] button[type=submit]").click()
    assert answer.value.status == 400
    assert page.get_by_role("alert").is_visible()
    assert page.locator("#document").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    context.close()
