"""The back office in a desktop browser: the desk, the Tuesday and Friday rules, the leader's
batch signing, and another commune's officer who sees none of it. Screenshots go to
var/screenshots/backoffice-*.png."""

from contextlib import contextmanager
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.dossiers.conftest import procedure_submission
from tests.helpers.clock import Freezer
from tests.helpers.registers import entered
from tests.helpers.screenshots import shot
from tests.helpers.second_factor import totp_code
from xaso.accounts.models import User
from xaso.dossiers import services
from xaso.dossiers.cccd import CccdData, format_cccd_qr
from xaso.dossiers.models import Dossier, State
from xaso.dossiers.submission import dossier_submit
from xaso.payments.models import PaymentRequest

VN = ZoneInfo("Asia/Ho_Chi_Minh")
DESKTOP = {"width": 1366, "height": 768}
SIGNATURE = "2.000884"  # no_proxy_writing: officers may not write it for the applicant
EXTRACT_COPY = "2.000635"  # same day, may be written for the applicant
CARD = CccdData(
    personal_id="066185001234", old_id="", full_name="Nguyễn Thị Hoa",
    date_of_birth=date(1985, 4, 12), sex="female",
    address="Thôn Lộc Tân, xã Phú Lộc, tỉnh Đắk Lắk", issued_on=date(2022, 5, 1),
)  # fmt: skip


@pytest.fixture
def frozen():
    """Run the server as if it were this moment in Vietnam (the live server's thread too)."""
    freezer = Freezer()
    yield freezer
    freezer.close()


@pytest.fixture
def demo_world(demo_committed):
    return {user.username: user for user in User.objects.all()}


def sign_in(page, username: str) -> None:
    """Through the login page, as a new visitor: after the clock was moved, a session from
    another moment may be expired, or still valid in the past (and the login page would
    redirect); either way the officer signs in afresh at the test's moment."""
    page.context.clear_cookies()
    page.goto("/backoffice/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(settings.XASO_DEMO_PASSWORD)
    page.locator("#id_password").press("Enter")
    page.wait_for_url("**/backoffice/**")
    assert "/login/" not in page.url
    if "/second-factor/" in page.url:  # leaders and administrators: the authenticator's code
        page.locator("#id_otp").fill(totp_code(User.objects.get(username=username)))
        page.locator("#id_otp").press("Enter")
        page.wait_for_url(lambda url: "/second-factor/" not in url)


@contextmanager
def signed_in_pages(browser, base_url: str, viewport: dict):
    """`open_as(username, javascript=True)`: a page of a new browser context of this size, the
    officer signed in; every context is closed at the end."""
    contexts = []

    def open_as(username: str, *, javascript: bool = True):
        context = browser.new_context(
            base_url=base_url, viewport=viewport, locale="vi-VN", java_script_enabled=javascript
        )
        contexts.append(context)
        page = context.new_page()
        sign_in(page, username)
        return page

    try:
        yield open_as
    finally:
        for context in contexts:
            context.close()


def signed_in_page(browser, live_server, username: str):
    context = browser.new_context(base_url=live_server.url, viewport=DESKTOP, locale="vi-VN")
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, username)
    return context, page, errors


@pytest.fixture
def desk_page(browser, live_server, demo_world):
    context, page, errors = signed_in_page(browser, live_server, "reception")
    yield page
    context.close()
    assert errors == [], f"browser console errors: {errors}"


@pytest.fixture
def leader_page(browser, live_server, demo_world):
    context, page, errors = signed_in_page(browser, live_server, "leader")
    yield page
    context.close()
    assert errors == [], f"browser console errors: {errors}"


class Counted:
    """Counts what the officer does (each fill, key press, pick or click is one interaction)."""

    def __init__(self, page):
        self.page, self.count = page, 0

    def fill(self, selector, text):
        self.count += 1
        self.page.locator(selector).fill(text)

    def press(self, selector, key):
        self.count += 1
        self.page.locator(selector).press(key)

    def select(self, selector, value):
        self.count += 1
        self.page.locator(selector).select_option(value)

    def click(self, selector):
        self.count += 1
        self.page.locator(selector).click()


def test_the_desk_receives_a_counter_dossier_from_a_scanned_card(desk_page, frozen):
    frozen(2026, 11, 25, 9, 30)  # a Wednesday morning
    page = desk_page
    expect(page.locator("nav a.menu-close")).to_be_hidden()  # the phone menu's own link
    officer = Counted(page)
    officer.click("nav a.primary")  # "New dossier at the counter"
    officer.fill("#q", "chung thuc chu ky")
    officer.press("#q", "Enter")
    officer.click(f'a[href="/backoffice/desk/{SIGNATURE}/"]')
    assert page.locator("#cccd").evaluate("el => el === document.activeElement")
    officer.fill("#cccd", format_cccd_qr(CARD))  # what the USB scanner types...
    officer.press("#cccd", "Enter")  # ...and its Enter
    expect(page.locator("#a-full_name")).to_have_value(CARD.full_name)
    assert page.locator("#a-personal_id").input_value() == CARD.personal_id
    assert page.locator('[name="signer.full_name"]').input_value() == CARD.full_name
    officer.fill('[name="phone"]', "0912345678")
    officer.fill('[name="document_title"]', "Giấy ủy quyền nhận lương hưu")
    officer.select('[name="document_type"]', "authorization")
    officer.fill('[name="signers"]', "1")
    officer.click('[name="sign_in_person"]')
    shot(page, "backoffice-desk-intake")
    officer.click("button[name=receive]")
    page.wait_for_url("**/backoffice/dossiers/**")
    assert officer.count < 15, officer.count
    dossier = Dossier.objects.get()
    assert dossier.state in (State.RECEIVED, State.PROCESSING)
    assert dossier.channel == "counter"
    assert dossier.applicant["personal_id"] == CARD.personal_id
    receipt = page.locator('a[data-form="receipt"]')
    assert receipt.is_visible()
    shot(page, "backoffice-desk-received")
    response = page.request.get(receipt.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"


def test_the_tuesday_rule_allows_and_blocks_assisted_intake(desk_page, frozen):
    page = desk_page
    frozen(2026, 12, 1, 9, 0)  # Tuesday (24/11 is Culture Day, off): officers write
    sign_in(page, "reception")
    page.goto(f"/backoffice/desk/{EXTRACT_COPY}/")
    assert page.locator("#assisted").is_visible()
    assert page.locator("#assisted-reason").get_attribute("data-allowed") == "yes"
    shot(page, "backoffice-tuesday-allowed")

    page.goto(f"/backoffice/desk/{SIGNATURE}/")  # a signature must be written by its signer
    assert page.locator("#assisted").count() == 0
    assert page.locator("#assisted-reason").get_attribute("data-allowed") == "no"
    assert page.locator("#assisted-reason").inner_text().strip()
    shot(page, "backoffice-tuesday-blocked-no-proxy")

    frozen(2026, 11, 25, 9, 0)  # Wednesday: not the rule's day
    page.goto(f"/backoffice/desk/{EXTRACT_COPY}/")
    assert page.locator("#assisted").count() == 0
    assert page.locator("#assisted-reason").get_attribute("data-allowed") == "no"


def confirm_with_the_code(page, count: int) -> None:
    """The confirmation: "you are about to sign N documents", the list, the authenticator's
    code (the step-up), then Sign."""
    expect(page.locator("h1")).to_have_text(f"Bạn sắp ký {count} văn bản")
    assert page.locator("ol.to-sign li").count() == count
    page.locator("#id_otp").fill(totp_code(User.objects.get(username="leader")))
    page.locator("form button.primary").click()
    page.wait_for_url("**/backoffice/leader/")


def sign_as_leader(browser, live_server, codes: list[str]) -> None:
    """The leader signs in their own browser (signing runs in the server, as in real use)."""
    context, page, errors = signed_in_page(browser, live_server, "leader")
    try:
        page.goto("/backoffice/leader/")
        for code in codes:
            page.locator(f'input[name=codes][value="{code}"]').check()
        page.locator("form button.primary").click()
        confirm_with_the_code(page, len(codes))
    finally:
        context.close()
    assert errors == []


def test_the_friday_board_shows_a_same_day_dossier_until_returned(
    browser, live_server, desk_page, demo_world, frozen
):
    frozen(2026, 11, 27, 10, 0)  # Friday, before the 15:00 cut-off
    reception, specialist = demo_world["reception"], demo_world["specialist"]
    page = desk_page
    sign_in(page, "reception")
    page.clock.install()  # the board's 30-second poll, fast-forwarded below
    page.goto("/backoffice/queues/friday_board/")
    assert page.locator("#board a").count() == 0
    payload = procedure_submission(EXTRACT_COPY, "counter")
    dossier = dossier_submit(
        actor=reception, procedure_code=payload["procedure"], commune_code=payload["commune"],
        channel="counter", applicant=payload["applicant"], answers=payload["form"], receive=True,
    ).dossier  # fmt: skip
    assert dossier.due_rule == "friday_same_day"
    page.clock.fast_forward(31_000)  # htmx polls; the new dossier appears without a reload
    expect(page.locator("#board a", has_text=dossier.code)).to_be_visible()
    assert page.locator("#board").get_attribute("hx-trigger") == "every 30s"
    shot(page, "backoffice-friday-board")

    dossier = Dossier.objects.get(pk=dossier.pk)
    if dossier.assigned_to is None:
        dossier = services.dossier_assign(actor=reception, dossier=dossier, to="specialist")
    entered(services.dossier_propose(actor=specialist, dossier=dossier))
    sign_as_leader(browser, live_server, [dossier.code])
    assert Dossier.objects.get(pk=dossier.pk).state == State.RESULT_READY
    page.goto("/backoffice/queues/friday_board/")
    assert page.locator("#board a", has_text=dossier.code).is_visible()  # until returned
    page.goto(f"/backoffice/dossiers/{dossier.code}/")
    fee = PaymentRequest.objects.get(dossier=dossier)
    if fee.amount and fee.status != "paid":  # the commune returns results once paid
        page.locator('form[action$="/payment/cash/"] input[name=amount]').fill(str(fee.amount))
        page.locator('form[action$="/payment/cash/"] button').click()
        page.wait_for_url(f"**/backoffice/dossiers/{dossier.code}/")
    shot(page, "backoffice-dossier-result-ready")
    page.locator('form[data-action="return"] button').click()
    page.wait_for_url(f"**/backoffice/dossiers/{dossier.code}/")
    assert Dossier.objects.get(pk=dossier.pk).state == State.RETURNED
    page.goto("/backoffice/queues/friday_board/")
    assert page.locator("#board a", has_text=dossier.code).count() == 0
    shot(page, "backoffice-friday-board-after-return")


def test_the_leader_signs_three_results_at_once(leader_page, demo_world):
    reception, specialist = demo_world["reception"], demo_world["specialist"]
    codes = []
    for _ in range(3):
        payload = procedure_submission(EXTRACT_COPY, "counter")
        dossier = dossier_submit(
            actor=reception, procedure_code=payload["procedure"],
            commune_code=payload["commune"], channel="counter", applicant=payload["applicant"],
            answers=payload["form"], receive=True,
        ).dossier  # fmt: skip
        dossier = Dossier.objects.get(pk=dossier.pk)
        if dossier.assigned_to is None:
            dossier = services.dossier_assign(actor=reception, dossier=dossier, to="specialist")
        entered(services.dossier_propose(actor=specialist, dossier=dossier))
        codes.append(dossier.code)
    page = leader_page
    page.goto("/backoffice/leader/")
    for code in codes:
        page.locator(f'input[name=codes][value="{code}"]').check()
    shot(page, "backoffice-leader-desk")
    page.locator("form button.primary").click()
    page.wait_for_url("**/backoffice/leader/sign/")
    shot(page, "backoffice-leader-confirm")
    assert set(Dossier.objects.filter(code__in=codes).values_list("state", flat=True)) == {
        State.AWAITING_SIGNATURE
    }  # nothing signed before the code
    confirm_with_the_code(page, 3)
    assert set(Dossier.objects.filter(code__in=codes).values_list("state", flat=True)) == {
        State.RESULT_READY
    }
    assert page.locator("article.proposal").count() == 0
    shot(page, "backoffice-leader-signed")


def test_another_communes_officer_sees_none_of_it(browser, live_server, demo_world):
    reception = demo_world["reception"]
    payload = procedure_submission(EXTRACT_COPY, "counter")
    dossier = dossier_submit(
        actor=reception, procedure_code=payload["procedure"], commune_code=payload["commune"],
        channel="counter", applicant=payload["applicant"], answers=payload["form"], receive=True,
    ).dossier  # fmt: skip
    context, page, _errors = signed_in_page(browser, live_server, "other-reception")
    try:
        page.goto("/backoffice/queues/due_today/")
        assert page.locator("table.list a", has_text=dossier.code).count() == 0
        page.goto("/backoffice/queues/friday_board/")
        assert page.locator("table.list a").count() == 0
        response = page.goto(f"/backoffice/dossiers/{dossier.code}/")
        assert response.status == 404
        page.goto("/backoffice/register/")
        assert page.locator("table.list a", has_text=dossier.code).count() == 0
        shot(page, "backoffice-other-commune")
    finally:
        context.close()
