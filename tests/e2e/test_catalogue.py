"""A citizen on a cheap phone finds birth registration in the catalogue and opens its page."""

import json

from xaso.catalog.exchange import SEED_CATALOG
from xaso.catalog.services import catalog_import

PHONE_WIDTH = 360
TOUCH_TARGET = 40  # px: GOV.UK asks for 44 CSS px targets; anything smaller is hard to hit


def load_catalogue():
    """The live server runs in another thread: the data must be committed (transactional_db)."""
    catalog_import(actor=None, data=json.loads(SEED_CATALOG.read_text(encoding="utf-8")))


def test_a_citizen_finds_birth_registration_and_opens_its_page(page, transactional_db):
    load_catalogue()
    page.goto("/thu-tuc/")
    search_box = page.locator("#q")
    assert search_box.bounding_box()["height"] >= TOUCH_TARGET
    search_box.fill("lam giay khai sinh")
    page.locator("form.search button[type=submit]").click()
    page.wait_for_url("**/thu-tuc/?q=lam+giay+khai+sinh*")

    first = page.locator(".result-name a").first
    assert first.inner_text() == "Đăng ký khai sinh"
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH
    first.click()

    page.wait_for_url("**/thu-tuc/1.001193/")
    assert page.get_by_role("heading", level=1).inner_text() == "Đăng ký khai sinh"
    assert page.get_by_text("Tờ khai đăng ký khai sinh").is_visible()
    submit = page.locator('a[href="/thu-tuc/1.001193/nop/"]')
    assert submit.is_visible()
    assert submit.bounding_box()["height"] >= TOUCH_TARGET
    assert page.locator('a[href="/thu-tuc/1.001193/huong-dan.pdf"]').count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def test_the_search_works_with_javascript_off(browser, live_server, transactional_db):
    load_catalogue()
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": PHONE_WIDTH, "height": 740},
        java_script_enabled=False,
    )
    try:
        page = context.new_page()
        page.goto("/thu-tuc/")
        page.locator("#q").fill("khai sinh")
        page.locator("form.search button[type=submit]").click()
        page.wait_for_url("**/thu-tuc/?q=khai+sinh*")
        assert page.locator(".result-name a").first.inner_text() == "Đăng ký khai sinh"
    finally:
        context.close()
