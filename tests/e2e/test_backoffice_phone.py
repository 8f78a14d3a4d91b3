"""The back office on a 360 px phone: every page fits the screen (nothing wider than the
viewport, no sideways scrolling), the navigation opens from a "Menu" link — also without
JavaScript — and a queue's rows read as cards.
Every page the back office's urls.py names — and the community and market apps' back-office
pages — is walked for every role that can open it.
Screenshots: var/screenshots/backoffice-phone-*.png."""

from urllib.parse import urlsplit

import pytest
from django.conf import settings

from tests.dossiers.conftest import procedure_submission
from tests.e2e.test_backoffice import signed_in_pages
from tests.helpers.screenshots import shot
from tests.helpers.second_factor import totp_code
from xaso.accounts.models import User
from xaso.backoffice import urls as backoffice_urls
from xaso.backoffice.access import QUEUE_ORDER
from xaso.community import backoffice_urls as community_urls
from xaso.community.models import Team
from xaso.dossiers.submission import dossier_submit
from xaso.market import backoffice_urls as market_urls
from xaso.market.models import Product

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


def _misfit(page, name: str) -> str:
    """What does not fit the viewport on the page shown ("" when all fits)."""
    page.wait_for_load_state("load")
    found = page.evaluate(_OVERFLOW_JS)
    if found["wide"]:
        return f"{name}: wider than {found['width']} px: {found['wide']}"
    if found["scroll"] > found["width"]:
        return f"{name} scrolls sideways: {found}"
    return ""


def _fits(page, name: str) -> None:
    problem = _misfit(page, name)
    assert not problem, problem


@pytest.fixture
def phone(browser, live_server, demo_committed):
    with signed_in_pages(browser, live_server.url, PHONE) as open_as:
        yield open_as


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


# --- Every page the back office's urls.py names, for every role that can open it ---------------

# The names that are not pages to look at: what they answer is a file, or a POST's redirect.
NOT_PAGES = {
    "home": "a redirect to the role's first page (walked under that page's name)",
    "logout": "POST only",
    "session_end": "POST only",
    "token_end": "POST only",
    "cccd": "POST only: the card's details as JSON",
    "register_file": "a spreadsheet or PDF file",
    "all_dossiers_xlsx": "a spreadsheet",
    "dossier_draft": "a PDF",
    "draft": "a PDF",
    "action": "POST only",
    "register_entry": "POST only",
    "payment": "POST only",
    "attachment": "the attached file",
    "document": "a PDF form",
    "leader_sign": "POST only",
    "news_file": "an announcement's attached file",
    "broadcast_script_text": "plain text for the smart-radio system",
    "bulletin_play": "POST only (the play log's tick)",
    "bulletin_audio": "a WAV file",
    "community_backoffice:adoption_file": "a spreadsheet",
    "market_office:lot_labels": "a PDF of labels",
}
# The back-office pages under /backoffice/ that other apps own, by their URL namespace; their
# names are written "namespace:name" here (the back office's own names go bare).
APP_PAGES = {"community_backoffice": community_urls, "market_office": market_urls}
# Seen during the sign-in itself (before any role's pages): the login and second-factor pages.
SIGN_IN_PAGES = {"login", "second_factor_verify"}
ROLES = ("reception", "specialist", "leader", "admin", "community", "province")


def _world_paths() -> dict[str, str]:
    """A path for every page name, its arguments taken from the demo world (and a dossier, a
    feedback item and a personal-data request made for it)."""
    from django.urls import reverse

    from xaso.feedback.services import feedback_file
    from xaso.news.services import announcement_write, bulletin_create

    dossier = _received_dossier()
    request = _personal_data_request()
    feedback = feedback_file(
        actor=None, commune_code="DEMO-PL", category="infrastructure", phone="0912345678",
        text="Đường vào thôn Lộc Tân sạt lở một đoạn dài, xe máy không qua được.",
    )  # fmt: skip
    admin = User.objects.get(username="admin")
    announcement = announcement_write(
        actor=admin, commune_code="DEMO-PL", category="events", title="Họp thôn Lộc Tân",
        body="Họp thôn lúc 19 giờ tại nhà văn hóa thôn.",
    )  # fmt: skip
    bulletin = bulletin_create(
        actor=admin, commune_code="DEMO-PL", title="Tiêm phòng",
        text="Tiêm phòng cho đàn gia súc sáng thứ Bảy.", priority="emergency",
    )  # fmt: skip
    arguments = {
        "news": [announcement.code],
        "news_edit": [announcement.code],
        "bulletin": [bulletin.code],
        "queue": ["new"],
        "intake": [EXTRACT_COPY],
        "dossier": [dossier.code],
        "feedback": [feedback.code],
        "privacy_request": [request.code],
        "offer_terms": [EXTRACT_COPY],
    }
    arguments["community_backoffice:team"] = [
        Team.objects.filter(commune__code="DEMO-PL").order_by("pk").values_list("pk", flat=True)[0]
    ]
    arguments["market_office:product"] = [
        Product.objects.filter(commune__code="DEMO-PL").order_by("pk")[0].code
    ]
    paths = {}
    for name in _page_names():
        if name in NOT_PAGES or name in SIGN_IN_PAGES:
            continue
        qualified = name if ":" in name else f"backoffice:{name}"
        paths[name] = reverse(qualified, args=arguments.get(name, []))
    # The dossiers behind one indicator of the commune's dashboard, this month.
    paths["reports_dossiers"] += "?commune=DEMO-PL&period=month&measure=on_time"
    # Every queue, not only the first: each is its own page for the roles it serves.
    paths.update({f"queue:{q}": f"/backoffice/queues/{q}/" for q in QUEUE_ORDER})
    return paths


def _page_names() -> list[str]:
    names = [pattern.name for pattern in backoffice_urls.urlpatterns]
    for namespace, module in APP_PAGES.items():
        names += [f"{namespace}:{pattern.name}" for pattern in module.urlpatterns]
    return names


def test_every_url_name_of_the_back_office_is_walked_or_said_why_not():
    names = set(_page_names())
    walked = names - set(NOT_PAGES) - SIGN_IN_PAGES
    assert walked and not (set(NOT_PAGES) | SIGN_IN_PAGES) - names  # no stale entries
    modules = [backoffice_urls, *APP_PAGES.values()]
    unnamed = [str(p.pattern) for module in modules for p in module.urlpatterns if not p.name]
    assert unnamed == []


def test_every_named_page_fits_a_360_px_phone_for_every_role_that_opens_it(
    browser, live_server, demo_committed
):
    """Each role signs in (the login and second-factor pages checked on the way), then opens
    every page path; what answers 200 for it, where it asked, must fit 360 × 800."""
    paths = _world_paths()
    opened: dict[str, list[str]] = {}
    problems: list[str] = []
    closed: dict[tuple[str, str], str] = {}  # what a role could not open, and what it got
    for role in ROLES:
        context = browser.new_context(base_url=live_server.url, viewport=PHONE, locale="vi-VN")
        page = context.new_page()
        page.goto("/backoffice/login/")
        problems.append(_misfit(page, "the login page"))
        page.locator("#id_username").fill(role)
        page.locator("#id_password").fill(settings.XASO_DEMO_PASSWORD)
        page.locator("#id_password").press("Enter")
        page.wait_for_url(lambda url: "/login/" not in url)  # a member lands in the workspace
        if "/second-factor/" in page.url:
            problems.append(_misfit(page, f"the second factor ({role})"))
            page.locator("#id_otp").fill(totp_code(User.objects.get(username=role)))
            page.locator("#id_otp").press("Enter")
            page.wait_for_url(lambda url: "/second-factor/" not in url)
        for name, path in paths.items():
            response = page.goto(path)
            if response.status != 200 or urlsplit(page.url).path != urlsplit(path).path:
                closed[(role, name)] = f"{response.status} {page.url}"
                continue  # not this role's page (404, or sent elsewhere)
            problems.append(_misfit(page, f"{path} as {role}"))
            opened.setdefault(role, []).append(name)
            if name in ("intake", "all_dossiers") and role == "reception":
                shot(page, f"backoffice-phone-{name}")
            danger = page.locator("details.danger-zone summary")
            if name == "dossier" and danger.count():  # the destructive actions, opened
                danger.first.click()
                problems.append(_misfit(page, f"{path} as {role}, destructive actions open"))
                shot(page, f"backoffice-phone-dossier-{role}")
        shot(page, f"backoffice-phone-walk-{role}")
        context.close()
    misfits = [problem for problem in problems if problem]
    assert misfits == [], "\n".join(misfits)
    # The walk saw what each role works with (a walk that opened nothing would prove nothing).
    assert {"desk", "intake", "dossier", "register"} <= set(opened["reception"])
    assert "leader" in opened["leader"]
    assert {"staff", "villages", "procedures", "offer_terms", "accounts"} <= set(opened["admin"])
    assert "reports" in opened["province"], closed.get(("province", "reports"))
    every = {name for names in opened.values() for name in names}
    assert {name for name in paths if not name.startswith("queue:")} <= every, sorted(
        set(paths) - every
    )
