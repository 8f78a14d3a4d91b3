"""A buyer on a cheap phone: the demo's catalogue `/san-pham/` and a lot's traceability page
`/truy-xuat/<code>/`, each weighed (≤ 60 KB on first load) and checked by axe-core with no
violation at all, with and without JavaScript; the "contact the producer" inquiry sent without
JavaScript reaches the thank-you page and the producer's phone once (tests/e2e/conftest.py)."""

import pytest

from tests.helpers.page_figures import PAGE_BUDGET
from tests.helpers.screenshots import shot
from xaso.market.messages import INQUIRY
from xaso.market.models import Inquiry, Lot, Producer
from xaso.notify.models import OutboxMessage

CATALOGUE = "/san-pham/?xa=DEMO-PL"


@pytest.fixture
def coffee_lot(demo_committed) -> Lot:
    return (
        Lot.objects.filter(product__code="ca-phe-rof", product__commune__code="DEMO-PL")
        .select_related("product__producer")
        .first()
    )


def _clean(figure: dict) -> None:
    """No violation of any impact (audit_page fails on serious and critical ones only)."""
    found = {impact: figure[impact] for impact in ("critical", "serious", "moderate", "minor")}
    assert set(found.values()) == {0}, f"axe on {figure['page']}: {found}"
    assert figure["bytes"] <= PAGE_BUDGET


def test_the_catalogue_and_a_lots_traceability_page_on_a_phone(page, audit, coffee_lot):
    page.set_default_timeout(20_000)
    page.goto(CATALOGUE)
    main = page.inner_text("main")
    assert "Hạt mắc ca sấy nứt vỏ Nguyên Phương (demo)" in main
    assert "Cà phê Rof rang xay (demo)" in main
    assert "HTX Dịch vụ Nông nghiệp ROFC (demo)" in main
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "market-catalogue")
    _clean(audit("/san-pham/ (demo catalogue)"))

    page.goto(f"/truy-xuat/{coffee_lot.code}/")
    main = page.inner_text("main")
    assert coffee_lot.code in main and "Cà phê Rof rang xay (demo)" in main
    assert "HTX Dịch vụ Nông nghiệp ROFC (demo)" in main
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "market-trace")
    _clean(audit("/truy-xuat/<lot>/ (demo lot)"))


def test_without_javascript_the_pages_hold_and_an_inquiry_reaches_the_producer_once(
    browser, live_server, coffee_lot
):
    context = browser.new_context(
        base_url=live_server.url, viewport={"width": 360, "height": 740},
        java_script_enabled=False, locale="vi-VN",
    )  # fmt: skip
    page = context.new_page()
    try:
        page.set_default_timeout(20_000)
        # The pages carry no script at all: weight and axe (which needs JavaScript to run) are
        # the first test's; here, that everything shows and the form works without it.
        for path, shown in (
            (CATALOGUE, "Cà phê Rof rang xay (demo)"),
            (f"/truy-xuat/{coffee_lot.code}/", coffee_lot.code),
        ):
            page.goto(path)
            assert shown in page.inner_text("main")
            assert "<script" not in page.content()

        product = coffee_lot.product
        page.goto(f"/san-pham/DEMO-PL/{product.code}/")
        page.get_by_label("Tên của bạn").fill("Lê Văn Mua")
        page.locator("#phone").fill("0987 654 321")
        page.locator("#quantity").fill("20")
        page.locator("#message").fill("Tôi muốn mua 20 gói cà phê, giao về Buôn Ma Thuột.")
        page.locator("main form button[type=submit]").click()
        page.wait_for_url("**/da-gui/")
        assert page.get_by_role("heading", level=1).inner_text() == "Đã gửi lời nhắn"
        shot(page, "market-inquiry-sent")
    finally:
        context.close()
    producer = Producer.objects.get(code="rofc", commune__code="DEMO-PL")
    sent = OutboxMessage.objects.filter(template=INQUIRY, recipient=producer.phone)
    assert sent.count() == 1
    assert Inquiry.objects.get().phone == "0987654321"
