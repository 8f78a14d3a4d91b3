"""The kiosk in the commune office's hall: a receipt scanned by the USB scanner (it types the QR's
text and Enter into the focused field), a guide found to print, and the return to the start
after inactivity."""

import pytest

from tests.dossiers.conftest import submission
from tests.helpers.api import ApiClient
from tests.helpers.screenshots import shot

KIOSK_SCREEN = {"width": 1080, "height": 1920}  # a portrait touch screen
TOUCH_TARGET = 48


@pytest.fixture
def kiosk(browser, live_server, demo_committed):
    context = browser.new_context(base_url=live_server.url, viewport=KIOSK_SCREEN, locale="vi-VN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert errors == []


def test_scanning_a_receipt_qr_shows_the_status(kiosk, live_server):
    from tests.e2e.conftest import audit_page

    created = ApiClient().post("/api/v1/dossiers", submission()).json()
    kiosk.goto("/kiosk/")
    audit_page(kiosk, "/kiosk/ (start)")
    tiles = kiosk.locator(".kiosk-tile")
    assert tiles.count() == 3
    assert all(tiles.nth(i).bounding_box()["height"] >= 2 * TOUCH_TARGET for i in range(3))
    shot(kiosk, "kiosk-start", full_page=False)
    tiles.first.click()
    kiosk.wait_for_url("**/kiosk/tra-cuu/")
    scan = kiosk.locator("#scan")
    assert kiosk.evaluate("document.activeElement.id") == "scan"  # ready for the scanner
    assert scan.bounding_box()["height"] >= TOUCH_TARGET
    audit_page(kiosk, "/kiosk/tra-cuu/ (scan)")
    receipt_qr = (
        f"{live_server.url}/tra-cuu/?code={created['code']}&secret={created['lookup_secret']}"
    )
    kiosk.keyboard.type(receipt_qr)
    kiosk.keyboard.press("Enter")
    kiosk.wait_for_url("**/kiosk/tra-cuu/?scan=*")
    text = kiosk.inner_text("main")
    assert created["code"] in text and "Đăng ký khai sinh" in text
    assert "0912345678" not in text and "Y Bhiơ Niê" not in text
    shot(kiosk, "kiosk-status", full_page=False)
    audit_page(kiosk, "/kiosk/tra-cuu/?scan… (status)")


def test_finding_a_guide_to_print(kiosk):
    from tests.e2e.conftest import audit_page

    kiosk.goto("/kiosk/thu-tuc/")
    kiosk.locator("#q").fill("khai sinh")
    kiosk.keyboard.press("Enter")
    kiosk.wait_for_url("**/kiosk/thu-tuc/?q=*")
    guide = kiosk.locator(".result-list a.button").first
    assert guide.get_attribute("href").endswith("/huong-dan.pdf")
    audit_page(kiosk, "/kiosk/thu-tuc/?q= (guides)")


def test_the_kiosk_goes_back_to_the_start_after_inactivity(kiosk):
    kiosk.clock.install()  # the page's timers run on a clock the test moves
    kiosk.goto("/kiosk/tra-cuu/")
    assert kiosk.locator("body").get_attribute("data-idle-seconds") == "90"
    kiosk.clock.run_for(60_000)
    kiosk.locator("#scan").type("DEMO")  # a touch restarts the 90 s
    kiosk.clock.run_for(60_000)
    assert kiosk.url.endswith("/kiosk/tra-cuu/")
    kiosk.clock.run_for(31_000)
    kiosk.wait_for_url("**/kiosk/")
