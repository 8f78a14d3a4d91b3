"""A supplement answered online (issue 16): reception asks for two items on the back office; on a
360×800 phone the citizen sees both on the status page, uploads a photo for each and sends them;
the dossier is then in the desk's "supplement received" queue. Once with JavaScript, once
without. Screenshots: var/screenshots/supplement-*.png."""

import io
import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import expect

from tests.dossiers.conftest import submission
from tests.e2e.conftest import audit_page
from tests.e2e.test_backoffice import DESKTOP, sign_in
from tests.helpers.api import ApiClient
from tests.helpers.screenshots import shot
from xaso.accounts.models import User
from xaso.dossiers.models import Dossier

PHONE = {"width": 360, "height": 800}
ITEMS = ["Bản sao giấy chứng nhận kết hôn của cha mẹ", "Ảnh giấy chứng sinh chụp lại rõ nét"]


@pytest.fixture
def demo_world(demo_committed):
    return {user.username: user for user in User.objects.all()}


def photo(colour: str) -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(buffer, "JPEG")
    return {"name": f"{colour}.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def context_with_errors(browser, live_server, **options):
    context = browser.new_context(base_url=live_server.url, locale="vi-VN", **options)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    return context, page, errors


@pytest.mark.parametrize("javascript", [True, False], ids=["with-js", "without-js"])
def test_the_citizen_answers_a_supplement_on_a_phone(browser, live_server, demo_world, javascript):
    created = ApiClient().post("/api/v1/dossiers", submission()).json()
    code, secret = created["code"], created["lookup_secret"]

    # Reception asks for two items, one a line, on the dossier's back-office page.
    desk, desk_page, desk_errors = context_with_errors(browser, live_server, viewport=DESKTOP)
    sign_in(desk_page, "reception")
    desk_page.goto(f"/backoffice/dossiers/{code}/")
    form = desk_page.locator("form[data-action=request_supplement]")
    form.locator("textarea[name=items]").fill("\n".join(ITEMS))
    form.locator("button[type=submit]").click()
    desk_page.wait_for_load_state("load")
    assert Dossier.objects.get(code=code).state == "supplement_requested"

    # The citizen, on the phone, types the code as it comes: lower case, no dashes.
    phone, page, errors = context_with_errors(
        browser, live_server, viewport=PHONE, is_mobile=javascript,
        java_script_enabled=javascript,
    )  # fmt: skip
    page.goto("/tra-cuu/")
    page.locator("#code").fill(code.lower().replace("-", ""))
    page.locator("#secret").fill(secret)
    page.locator("form.search button[type=submit]").click()
    page.wait_for_url("**/tra-cuu/?code=*")
    section = page.locator("section.supplement")
    labels = section.locator("#supplement-form label[for^=item-]").all_inner_texts()
    assert labels == [f"{number}. {item}" for number, item in enumerate(ITEMS, 1)]
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    name = "with-js" if javascript else "without-js"
    shot(page, f"supplement-asked-{name}")
    if javascript:
        audit_page(page, "/tra-cuu/ (supplement asked)")
    page.locator("#item-1").set_input_files(photo("white"))
    page.locator("#item-2").set_input_files(photo("grey"))
    page.locator("#supplement-note").fill("Đã chụp lại rõ nét")
    page.locator("#supplement-form button[type=submit]").click()
    page.wait_for_url("**supplemented=1*")
    assert "xã đã nhận được giấy tờ bổ sung" in page.inner_text("main")
    assert page.locator("#supplement-form").count() == 0
    shot(page, f"supplement-sent-{name}")
    if javascript:
        audit_page(page, "/tra-cuu/ (supplement sent)")
    dossier = Dossier.objects.get(code=code)
    assert dossier.state == "submitted"
    assert dossier.attachments.filter(field_name="supplement").count() == 2

    # Back at the desk: in "supplement received", with how long it has waited.
    desk_page.goto("/backoffice/queues/supplement_received/")
    row = desk_page.locator("table.list tbody tr", has_text=code)
    assert row.count() == 1
    assert re.search(r"chờ Bộ phận Một cửa \d+ phút", row.inner_text())
    shot(desk_page, f"supplement-received-queue-{name}")
    desk_page.goto("/backoffice/queues/waiting_citizen/")
    assert desk_page.locator("table.list tbody tr", has_text=code).count() == 0
    phone.close()
    desk.close()
    assert errors == [] and desk_errors == [], f"browser console errors: {errors + desk_errors}"


def test_the_fee_can_be_saved_as_an_image_and_copied_line_by_line(browser, live_server, demo_world):
    from tests.dossiers.conftest import procedure_submission

    body = procedure_submission("2.000635", "online", fixed={"copies": 3})
    created = ApiClient().post("/api/v1/dossiers", body).json()
    code, secret = created["code"], created["lookup_secret"]
    reception = ApiClient().as_user(demo_world["reception"])
    assert reception.post(f"/api/v1/dossiers/{code}/receive", {}).status_code == 200
    phone, page, errors = context_with_errors(
        browser, live_server, viewport=PHONE, is_mobile=True,
        permissions=["clipboard-read", "clipboard-write"],
    )  # fmt: skip
    page.goto(f"/tra-cuu/?code={code}&secret={secret}")
    audit_page(page, "/tra-cuu/ (fee, save and copy)")
    with page.expect_download() as download:
        page.get_by_role("link", name="Lưu ảnh mã QR").click()
    saved = download.value
    assert saved.suggested_filename == f"vietqr-{code}.png"
    assert Path(saved.path()).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    page.locator("button[data-copy=pay-note]").click()
    expect(page.locator("#copy-status")).to_have_text("Đã sao chép.")
    assert page.evaluate("navigator.clipboard.readText()") == f"XASO {code.replace('-', '')}"
    page.evaluate("document.getElementById('copy-status').textContent = ''")
    page.locator("button[data-copy=pay-amount]").click()
    expect(page.locator("#copy-status")).to_have_text("Đã sao chép.")
    assert page.evaluate("navigator.clipboard.readText()") == "24000"
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"\(Mẫu 01, PDF\)")).click()
    assert Path(download.value.path()).read_bytes()[:5] == b"%PDF-"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "status-fee-save-copy")
    phone.close()
    assert errors == [], f"browser console errors: {errors}"
