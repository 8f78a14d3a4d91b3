"""The commune's announcements and the feedback form in a phone browser without JavaScript:
each page under 60 KB, axe-clean; a feedback filed; the notice-board print looked at."""

import subprocess

import pytest

from tests.e2e.conftest import audit_page
from tests.helpers.screenshots import shot
from xaso.feedback.models import Feedback
from xaso.news.models import Announcement

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def nojs(browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, locale="vi-VN", java_script_enabled=False
    )
    yield context.new_page()
    context.close()


def test_news_and_feedback_pages_weigh_under_60_kb_and_are_axe_clean(page, demo_committed):
    # axe runs in the page: with JavaScript on (a page without it cannot evaluate anything).
    published = Announcement.objects.filter(state="published").first()
    for name, path in [("tin-tuc", "/tin-tuc/"), ("tin-tuc item", f"/tin-tuc/{published.code}/"),
                       ("phan-anh", "/phan-anh/"),
                       ("phan-anh answers", "/phan-anh/tra-loi/?commune=DEMO-PL")]:  # fmt: skip
        page.goto(path)
        audit_page(page, name, budget=60_000)


def test_news_and_feedback_without_javascript(nojs, demo_committed):
    page = nojs
    page.goto("/tin-tuc/")
    assert "<script" not in page.content()
    shot(page, "voice-news-list")
    published = Announcement.objects.filter(state="published").first()
    page.get_by_role("link", name=published.title).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", level=1).inner_text() == published.title
    shot(page, "voice-news-item")
    page.goto("/phan-anh/")
    before = Feedback.objects.count()
    page.get_by_label("Đường sá, điện, nước và hạ tầng khác").check()
    page.get_by_label("Sự việc thế nào, bạn đề nghị gì?").fill("Cống thoát nước trước chợ bị tắc.")
    page.get_by_label("Số điện thoại để nhận trả lời").fill("0912 345 678")
    page.get_by_role("button", name="Gửi phản ánh").click()
    page.wait_for_load_state()
    shot(page, "voice-feedback-filed")
    assert Feedback.objects.count() == before + 1
    item = Feedback.objects.order_by("-pk").first()
    assert page.locator("#feedback-code").inner_text() == item.code
    assert page.locator("#feedback-secret").inner_text() == item.lookup_secret
    page.goto("/phan-anh/tra-loi/?commune=DEMO-PL")
    assert "0900000006" not in page.content()


def test_the_notice_board_print_as_a_picture(client, demo_seeded, tmp_path):
    """The PDF of an announcement, rendered to PNG to be looked at (var/screenshots/)."""
    from pathlib import Path

    published = Announcement.objects.filter(state="published").first()
    pdf = tmp_path / "notice.pdf"
    pdf.write_bytes(client.get(f"/tin-tuc/{published.code}/in.pdf").content)
    out = Path("var/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", "-singlefile", str(pdf), str(out / "voice-notice-print")],
        check=True,
    )
    assert (out / "voice-notice-print.png").stat().st_size > 5_000
