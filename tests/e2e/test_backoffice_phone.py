"""The back office on a 360 px phone: every page fits the screen (nothing wider than the
viewport, no sideways scrolling), the navigation opens from a "Menu" link — also without
JavaScript — and a queue's rows read as cards.
Screenshots: var/screenshots/backoffice-phone-*.png."""

import pytest

from tests.dossiers.conftest import procedure_submission
from tests.e2e.test_backoffice import sign_in
from tests.helpers.screenshots import shot
from xaso.accounts.models import User
from xaso.backoffice.access import QUEUE_ORDER
from xaso.dossiers.submission import dossier_submit

PHONE = {"width": 360, "height": 800}
EXTRACT_COPY = "2.000635"

# Every element whose box reaches past the viewport's right edge (a rounding pixel allowed),
# and how far the page scrolls sideways.
_OVERFLOW_JS = """() => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const element of document.querySelectorAll("body *")) {
    const box = element.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1) {
      wide.push(`${element.tagName.toLowerCase()}${element.id ? "#" + element.id : ""}` +
                `.${[...element.classList].join(".")} right=${Math.round(box.right)}`);
    }
  }
  return {width, scroll: document.documentElement.scrollWidth, wide: wide.slice(0, 8)};
}"""


def _fits(page, name: str) -> None:
    page.wait_for_load_state("load")
    found = page.evaluate(_OVERFLOW_JS)
    assert found["wide"] == [], f"{name}: wider than {found['width']} px: {found['wide']}"
    assert found["scroll"] <= found["width"], f"{name} scrolls sideways: {found}"


@pytest.fixture
def phone(browser, live_server, demo_committed):
    contexts = []

    def open_as(username: str, *, javascript: bool = True):
        context = browser.new_context(
            base_url=live_server.url, viewport=PHONE, locale="vi-VN", java_script_enabled=javascript
        )
        contexts.append(context)
        page = context.new_page()
        sign_in(page, username)
        return page

    yield open_as
    for context in contexts:
        context.close()


def _received_dossier():
    reception = User.objects.get(username="reception")
    payload = procedure_submission(EXTRACT_COPY, "counter")
    return dossier_submit(
        actor=reception, procedure_code=EXTRACT_COPY, commune_code=payload["commune"],
        channel="counter", applicant=payload["applicant"], answers=payload["form"], receive=True,
    ).dossier  # fmt: skip


def _personal_data_request():
    from datetime import timedelta

    from django.utils import timezone

    from xaso.accounts.citizen_login import citizen_for_phone
    from xaso.places.models import Commune
    from xaso.privacy.models import SubjectRequest

    now = timezone.now()
    return SubjectRequest.objects.create(
        code="DL-PHONE001", commune=Commune.objects.get(code="DEMO-PL"),
        user=citizen_for_phone("0912345678"), phone="0912345678", kind="correction",
        target="all", details="Ngày sinh của tôi đúng là 02/03/1960, không phải 03/02/1960.",
        received_at=now, due_at=now + timedelta(days=2),
    )  # fmt: skip


def test_every_back_office_page_fits_a_360_px_phone(phone, live_server):
    dossier = _received_dossier()
    request = _personal_data_request()
    pages = {
        "reception": [
            *(f"/backoffice/queues/{queue}/" for queue in QUEUE_ORDER),
            "/backoffice/desk/",
            f"/backoffice/desk/{EXTRACT_COPY}/",
            f"/backoffice/dossiers/{dossier.code}/",
            "/backoffice/register/",
            "/backoffice/privacy/",
            f"/backoffice/privacy/{request.code}/",
        ],
        "leader": ["/backoffice/leader/"],
        "admin": [
            "/backoffice/admin/staff/",
            "/backoffice/admin/villages/",
            "/backoffice/admin/procedures/",
            f"/backoffice/admin/procedures/{EXTRACT_COPY}/",
            "/backoffice/admin/accounts/",
            "/backoffice/admin/rules/",
            "/backoffice/admin/signing/",
        ],
    }
    for username, paths in pages.items():
        page = phone(username)
        for path in paths:
            response = page.goto(path)
            assert response.status == 200, (path, response.status)
            _fits(page, path)
            if path.startswith("/backoffice/dossiers/"):
                page.locator("details.danger-zone summary").click()
                _fits(page, "the destructive actions, opened")
                shot(page, "backoffice-phone-dossier")
    shot(page, "backoffice-phone-admin")


def test_the_menu_opens_on_a_phone_and_queue_rows_are_cards(phone):
    dossier = _received_dossier()
    for javascript in (True, False):
        page = phone("reception", javascript=javascript)
        page.goto("/backoffice/queues/new/")
        nav = page.locator("nav#nav")
        assert not nav.is_visible()  # the list has the whole width
        page.get_by_role("link", name="Danh mục").click()
        assert nav.is_visible()
        _fits(page, "the open menu")
        shot(page, f"backoffice-phone-menu{'' if javascript else '-nojs'}")
        page.locator("nav#nav a[href='/backoffice/queues/due_today/']").click()
        assert not nav.is_visible()
        row = page.locator("table.list tbody tr", has_text=dossier.code)
        # A card: the cells stack, each saying what it is.
        code_cell = row.locator("td[data-label]").first
        assert code_cell.evaluate("cell => getComputedStyle(cell).display") == "block"
        assert code_cell.evaluate("cell => getComputedStyle(cell, '::before').content").startswith(
            '"Mã'
        )
        shot(page, f"backoffice-phone-queue{'' if javascript else '-nojs'}")
