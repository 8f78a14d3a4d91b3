"""Browser tests: Playwright driving Debian's Chromium (never a downloaded browser)."""

import os
import shutil
import tempfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from tests.helpers.page_figures import AXE, FIGURES, PAGE_BUDGET

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still
# synchronous and safe, but Django cannot tell.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "/e2e/" in str(item.path):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM):
        message = "Debian's chromium is not installed (make test installs it when run as root)"
        if os.environ.get("XASO_REQUIRE_BROWSER") == "1":
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    """A phone-sized page (a cheap Android phone) that fails the test on any console error."""
    context = browser.new_context(
        base_url=live_server.url,
        viewport={"width": 360, "height": 740},
        locale="vi-VN",
        is_mobile=True,
    )
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    problems: list[str] = []  # weight and axe-core on every page loaded (see auto_audit)
    page.on("load", lambda loaded: auto_audit(loaded, problems))
    yield page
    auto_audit(page, problems)  # the last page, whose `load` the test did not wait for
    context.close()
    assert errors == [], f"browser console errors: {errors}"
    assert problems == [], f"page weight or accessibility: {problems}"


# --- Static files as `xaso demo` serves them -----------------------------------------------------
# pytest-django's live server serves /static/ straight from the apps, uncompressed; the demo (and
# production) serves files collected and precompressed (gzip + brotli) by WhiteNoise. The browser
# tests weigh pages as citizens receive them, so their live server does the same.


def _collected_static() -> Path:
    from django.conf import settings
    from django.core.management import call_command
    from django.test import override_settings
    from whitenoise.compress import Compressor

    root = Path(tempfile.mkdtemp(prefix="xaso-e2e-static-"))
    with override_settings(STATIC_ROOT=root):
        call_command("collectstatic", interactive=False, verbosity=0)
    compressor = Compressor(quiet=True)
    for path in root.rglob("*"):
        if path.is_file() and compressor.should_compress(path.name):
            for _compressed in compressor.compress(str(path)):
                pass
    assert settings.STATIC_URL == "/static/"
    return root


class CompressedStaticHandler:
    """The live server's static handler: WhiteNoise on the collected, compressed files."""

    root: Path | None = None

    def __init__(self, application):
        from whitenoise import WhiteNoise

        self.application = WhiteNoise(application, root=self.root, prefix="/static/")

    def __call__(self, environ, start_response):
        return self.application(environ, start_response)


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, serving static files compressed (see above)."""
    from django.contrib.staticfiles import handlers
    from pytest_django.live_server_helper import LiveServer

    CompressedStaticHandler.root = _collected_static()
    original = handlers.StaticFilesHandler
    handlers.StaticFilesHandler = CompressedStaticHandler  # read by LiveServer() when it starts
    try:
        addr = (
            request.config.getvalue("liveserver")
            or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS")
            or "localhost"
        )
        server = LiveServer(addr)
    finally:
        handlers.StaticFilesHandler = original
    yield server
    server.stop()
    shutil.rmtree(CompressedStaticHandler.root, ignore_errors=True)


# --- Page weight and accessibility of every page visited -----------------------------------------

AUDITED_DOCUMENTS: set[float] = set()  # performance.timeOrigin of each page already audited

# Bytes received for the page and everything it loaded before `load` (headers and bodies as sent,
# i.e. compressed), and separately what came after (loaded on a user action).
# A file the browser kept from an earlier page of the test counts its compressed body, as a first
# visit would have received it.
_WEIGHT_JS = """() => {
  const size = (entry) => entry.transferSize || entry.encodedBodySize;
  const nav = performance.getEntriesByType("navigation")[0];
  const loaded = nav.loadEventEnd || performance.now();
  let before = size(nav), after = 0; const late = [];
  for (const entry of performance.getEntriesByType("resource")) {
    if (entry.startTime <= loaded) { before += size(entry); }
    else { after += size(entry); late.push(entry.name); }
  }
  return {before, after, late, resources: performance.getEntriesByType("resource").length};
}"""

_AXE_RUN_JS = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({id: v.id, impact: v.impact, nodes: v.nodes.length,
                                      help: v.help, target: v.nodes[0] && v.nodes[0].target}));
}"""


def audit_page(page, name: str, *, budget: int | None = PAGE_BUDGET) -> dict:
    """Weigh the page now shown and run axe-core on it; fail on a serious or critical violation
    or (unless `budget` is None) on a first load over the budget. The figures are printed at the
    end of the run."""
    page.wait_for_load_state("load")
    document = page.evaluate("performance.timeOrigin")
    for figure in FIGURES:  # audited on its `load` already: give that row the test's name
        if figure["document"] == document:
            figure["page"] = name
            return figure
    AUDITED_DOCUMENTS.add(document)
    weight = page.evaluate(_WEIGHT_JS)
    # Evaluated through the DevTools protocol: the page's Content-Security-Policy (no inline
    # script) stays in force for the page's own code.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    violations = page.evaluate(_AXE_RUN_JS)
    counts = {impact: 0 for impact in ("critical", "serious", "moderate", "minor")}
    for violation in violations:
        counts[violation["impact"] or "minor"] += 1
    figure = {"page": name, "url": page.url, "document": document, "bytes": weight["before"],
              "later_bytes": weight["after"], "later": weight["late"], **counts}  # fmt: skip
    FIGURES.append(figure)
    severe = [v for v in violations if v["impact"] in ("serious", "critical")]
    assert not severe, f"axe on {name}: {severe}"
    if budget is not None:
        assert weight["before"] <= budget, f"{name} weighs {weight['before']} bytes on first load"
    return figure


# Staff screens and machine answers are not citizen pages: axe-core only, no weight budget.
NOT_CITIZEN_PAGES = ("/backoffice/", "/admin/", "/api/")


def auto_audit(page, problems: list[str]) -> None:
    """Run on every `load` of the `page` fixture: weigh the page and run axe-core on it, noting
    problems for the fixture to report. A page the test already left is skipped."""
    from playwright.sync_api import Error

    try:
        if page.evaluate("document.contentType") != "text/html":
            return
        if page.evaluate("performance.timeOrigin") in AUDITED_DOCUMENTS:
            return
        url = urlsplit(page.url)
        path = f"{url.path}?{url.query}" if url.query else url.path
        citizen = not any(path.startswith(part) for part in NOT_CITIZEN_PAGES)
        audit_page(page, path[:60], budget=PAGE_BUDGET if citizen else None)
    except AssertionError as problem:
        problems.append(str(problem))
    except Error:  # navigated away meanwhile: the next page is audited on its own load
        return


@pytest.fixture
def audit(page):
    """audit(name): weigh the current page and check it with axe-core (see audit_page)."""
    return lambda name, **options: audit_page(page, name, **options)
