"""The news back office in Chromium at 360 px (axe-core on every page with JavaScript on, nothing
wider than the screen): an officer writes an announcement with a picture and submits it, the
leader approves and publishes it, and it is on /tin-tuc/; an emergency bulletin written for today
comes first in the day's programme. Screenshots (phone and desktop):
var/screenshots/news-bo-*.png."""

import io

import pytest
from PIL import Image

from tests.e2e.test_backoffice import sign_in, signed_in_pages
from tests.e2e.test_backoffice_phone import _fits
from tests.helpers.screenshots import shot

DESKTOP = {"width": 1280, "height": 900}
TITLE = "Tiêm phòng lở mồm long móng cho đàn bò"


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (320, 180), (30, 120, 60)).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def desktop(browser, live_server):
    """A desktop page for the screenshots, signed in as `username`."""
    with signed_in_pages(browser, live_server.url, DESKTOP) as open_as:
        yield open_as


def test_written_approved_published_and_an_emergency_first(page, desktop, demo_committed):
    # The specialist writes the draft on a phone, with a picture.
    sign_in(page, "specialist")
    page.goto("/backoffice/news/")
    _fits(page, "the list of announcements")
    shot(page, "news-bo-phone-list")
    page.locator("#news-write").click()
    page.locator("#n-title").fill(TITLE)
    page.locator("#n-category").select_option("agriculture")
    page.locator("#n-body").fill("Thú y xã tiêm phòng tại nhà văn hóa thôn.\nBà con đưa bò đến.")
    page.locator("input[name=villages]").first.check()
    page.locator("#n-image").set_input_files(
        {"name": "bo.png", "mimeType": "image/png", "buffer": _png()}
    )
    _fits(page, "the announcement form")
    shot(page, "news-bo-phone-form")
    page.get_by_role("button", name="Lưu bản nháp").click()
    page.wait_for_url("**/backoffice/news/*/")
    assert page.locator("#news-state").get_attribute("data-state") == "draft"
    assert page.locator("img.news-image").evaluate("img => img.naturalWidth") == 320
    page.get_by_role("button", name="Trình duyệt").click()
    page.wait_for_load_state("load")
    assert page.locator("#news-state").get_attribute("data-state") == "awaiting_approval"
    assert page.get_by_role("button", name="Duyệt và đăng").count() == 0
    address = page.url

    # The leader approves and publishes it.
    sign_in(page, "leader")
    page.goto(address)
    _fits(page, "the announcement awaiting approval")
    shot(page, "news-bo-phone-approve")
    page.get_by_role("button", name="Duyệt và đăng").click()
    page.wait_for_load_state("load")
    assert page.locator("#news-state").get_attribute("data-state") == "published"
    assert page.locator("#news-print").is_visible() and page.locator("#news-zalo").is_visible()
    page.locator("details.danger-zone summary").click()
    _fits(page, "the published announcement, withdraw opened")
    shot(page, "news-bo-phone-published")

    page.goto("/tin-tuc/")
    assert page.get_by_role("link", name=TITLE).is_visible()

    # An emergency bulletin written for today plays first.
    sign_in(page, "reception")
    page.goto("/backoffice/broadcasts/new/")
    page.locator("#b-title").fill("Khẩn cấp: cháy rừng ở đồi thông")
    page.locator("#b-text").fill("Cháy rừng ở đồi thông thôn Lộc Tân. Bà con không vào rừng.")
    page.locator("input[name=priority][value=emergency]").check()
    _fits(page, "the bulletin form")
    shot(page, "news-bo-phone-bulletin-form")
    page.get_by_role("button", name="Lưu bản tin").click()
    page.wait_for_url("**/backoffice/broadcasts/?date=*")
    _fits(page, "the day's programme")
    shot(page, "news-bo-phone-programme")
    priorities = page.locator("#programme > li.bulletin").evaluate_all(
        "items => items.map(item => item.dataset.priority)"
    )
    assert priorities[0] == "emergency" and "normal" in priorities
    assert priorities == sorted(priorities, key=["emergency", "priority", "normal"].index)
    emergencies = page.locator("#programme > li[data-priority=emergency]")
    assert emergencies.filter(has_text="Khẩn cấp: cháy rừng").count() == 1
    # The operator ticks it played at once.
    emergencies.filter(has_text="Khẩn cấp: cháy rừng").get_by_role(
        "button", name="Đánh dấu: đã phát ngay"
    ).click()
    page.wait_for_load_state("load")
    assert emergencies.filter(has_text="Khẩn cấp: cháy rừng").locator(".played").count() == 1

    page.locator("#script-print").click()
    page.wait_for_load_state("load")
    _fits(page, "the printable script")
    shot(page, "news-bo-phone-script")
    first = page.locator("section.bulletin").first
    assert first.get_attribute("data-priority") == "emergency"

    # The same pages on a desktop screen, for the eye.
    leader = desktop("leader")
    leader.goto(address)
    shot(leader, "news-bo-desktop-published")
    leader.goto("/backoffice/news/")
    shot(leader, "news-bo-desktop-list")
    leader.goto("/backoffice/broadcasts/")
    shot(leader, "news-bo-desktop-programme")
    admin = desktop("admin")
    admin.goto("/backoffice/broadcasts/slots/")
    shot(admin, "news-bo-desktop-slots")
    page.goto("/backoffice/news/")  # back to a page the `page` fixture audits at the end


def test_the_slots_page_fits_a_phone(page, demo_committed):
    sign_in(page, "admin")
    page.goto("/backoffice/broadcasts/slots/")
    _fits(page, "the slots")
    shot(page, "news-bo-phone-slots")
    page.locator("#at-2").fill("11:30")
    page.locator("input[name=days-2][value='6']").check()
    page.get_by_role("button", name="Lưu khung giờ").click()
    page.wait_for_load_state("load")
    assert page.locator("#slots-form input[type=time][value='11:30']").count() == 1
