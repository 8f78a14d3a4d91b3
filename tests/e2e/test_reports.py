"""The reports' dashboards in Chromium, at 360 px and at desktop width: the leader's, the
administrator's, the province viewer's, and the printed page. Each fits the screen (no sideways
scroll), passes axe-core with JavaScript on (the `page` fixture audits every load), writes its
chart numbers the Vietnamese way, and is photographed into var/screenshots/reports-*.png."""

import re
from importlib import import_module

import pytest

from tests.e2e.test_backoffice import sign_in
from tests.e2e.test_backoffice_phone import _fits
from tests.helpers.screenshots import shot
from xaso.demo.figures import figure_communes, seed_demo_figures
from xaso.places.models import Commune

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 360, "height": 740}
YEAR = "period=year"
DECIMAL_POINT = re.compile(r"\d\.\d")  # 13.3: the English way; Vietnamese writes 13,3


@pytest.fixture
def figures(demo_committed):
    """The demo with past months of dossiers in the demo commune and the province's others."""
    from django.apps import apps

    from xaso.reports.models import IndexVersion

    if not IndexVersion.objects.exists():  # a flush between browser tests took the seeded rows
        import_module("xaso.reports.migrations.0002_index_766").seed(apps, None)
    seed_demo_figures(communes=[Commune.objects.get(code="DEMO-PL"), *figure_communes()])


def _both_widths(page, url: str, name: str, check) -> None:
    for width, viewport in (("360", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        page.goto(url)
        _fits(page, f"{name} at {width}")
        check(page)
        shot(page, f"reports-{name}-{width}")


def _chart_numbers(page) -> list[str]:
    return page.locator("svg.chart text").evaluate_all("els => els.map(e => e.textContent)")


def test_the_leaders_dashboard(page, figures):
    sign_in(page, "leader")

    def check(page):
        assert page.locator("#indicators tbody tr").count() == 19
        numbers = _chart_numbers(page)
        assert not [n for n in numbers if DECIMAL_POINT.search(n)], numbers
        assert any("," in n for n in numbers), numbers  # e.g. 13,3/18
        # July to December: no dossier filed in November (the figures end 35 days before
        # the tests' moment) nor in December: no point, no full marks, a dash.
        trend = page.locator("svg.chart").nth(1)
        labels = trend.locator("text").evaluate_all("els => els.map(e => e.textContent)")
        assert labels.count("—") == 2, labels
        assert trend.locator("circle").count() == 4
        assert page.locator("#kpis").is_visible()

    _both_widths(page, f"/backoffice/reports/?commune=DEMO-PL&{YEAR}", "leader", check)


def test_the_administrators_dashboard(page, figures):
    sign_in(page, "admin")

    def check(page):
        assert "Xã Phú Lộc (demo)" in page.locator("h1").inner_text()
        assert page.locator("#weakest tbody tr").count() >= 1
        assert page.locator("a", has_text="Tải về (.xlsx)").count() >= 1

    _both_widths(page, f"/backoffice/reports/?{YEAR}", "admin", check)


def test_the_province_viewers_dashboard(page, figures):
    sign_in(page, "province")

    def check(page):
        ranked = page.locator("#ranking tbody tr")
        assert ranked.count() >= 5  # the demo communes and four more of the province
        totals = [
            float(t.replace(",", ".")) for t in ranked.locator("td:nth-child(3)").all_inner_texts()
        ]
        assert totals == sorted(totals, reverse=True)
        assert len(set(totals)) > 1
        # The menu holds what a province viewer can use: no commune desk's queue.
        nav = page.locator("#nav")
        assert nav.locator("a[href*='/queues/']").count() == 0
        assert nav.locator("a[href*='/market/']").count() == 0
        assert nav.locator("a[href*='/reports/']").count() == 1

    page.goto("/backoffice/")
    assert "/backoffice/reports/" in page.url  # their home
    _both_widths(page, f"/backoffice/reports/?province=66&{YEAR}", "province", check)


def test_the_printed_dashboard(page, figures):
    sign_in(page, "leader")
    page.goto(f"/backoffice/reports/?commune=DEMO-PL&{YEAR}")
    page.emulate_media(media="print")
    for width, viewport in (("360", PHONE), ("desktop", DESKTOP)):
        page.set_viewport_size(viewport)
        assert not page.locator("#nav").is_visible()
        assert not page.locator(".bo-header").is_visible()
        assert not page.locator("form.report-period").is_visible()
        assert page.locator(".print-only").is_visible()  # when and where it was printed
        assert page.locator("svg.chart").first.is_visible()
        assert page.locator("#indicators").is_visible()
        _fits(page, f"print at {width}")
        shot(page, f"reports-print-{width}")


def test_the_public_index_page(page, figures):
    """/chi-so/: light (the 60 KB budget of citizen pages, checked on load), no script needed."""
    _both_widths(page, "/chi-so/?commune=DEMO-PL", "public", lambda page: None)
    assert page.locator("#index-indicators tbody tr").count() == 19
    assert page.locator("script").count() == 0
