"""The whole journey of issue 8 on a phone: a grandfather finds birth registration, fills it,
uploads the hospital's birth certificate photo and sends it; the commune's staff go through the
API (reception receives, the specialist proposes, the leader approves = signs); the citizen opens
the status page, sees the fee and VietQR code if one is due, downloads the signed result and rates
the service; then the same receipt is scanned at the kiosk. Every page visited is weighed and
checked with axe-core; screenshots in var/screenshots/journey-*.png."""

import json
import urllib.error
import urllib.request
from pathlib import Path

from tests.e2e.conftest import audit_page
from tests.e2e.test_apply import PHONE, fill_application, photo, send
from tests.helpers.api import ApiClient
from tests.helpers.registers import entered
from tests.helpers.screenshots import shot
from tests.helpers.second_factor import totp_code
from xaso.accounts.models import User
from xaso.accounts.services import token_issue
from xaso.dossiers.models import Dossier


def act(server, name: str, code: str, action: str, body=None) -> dict:
    """A staff action through the live server's API, as the office's screens send it (in the
    server's thread: signing runs its own event loop, which this thread, Playwright's, has)."""
    token, _row = token_issue(user=User.objects.get(username=name))
    request = urllib.request.Request(  # noqa: S310 (the test's own live server)
        f"{server.url}/api/v1/dossiers/{code}/{action}",
        data=json.dumps(body or {}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 (our server)
            return json.loads(response.read())
    except urllib.error.HTTPError as error:
        raise AssertionError(f"{action}: {error.code} {error.read()[:500]!r}") from error


def test_birth_registration_from_the_phone_to_the_signed_result_and_the_kiosk(
    page, browser, live_server, demo_committed, tmp_path
):
    page.set_viewport_size(PHONE)
    # 1. The citizen finds the procedure.
    page.goto("/")
    audit_page(page, "journey: / (home)")
    page.goto("/thu-tuc/?q=khai+sinh")
    audit_page(page, "journey: /thu-tuc/?q=khai+sinh")
    shot(page, "journey-1-search")
    page.get_by_role("link", name="Đăng ký khai sinh", exact=True).click()
    page.wait_for_url("**/thu-tuc/1.001193/")
    audit_page(page, "journey: /thu-tuc/1.001193/")
    shot(page, "journey-2-procedure")
    # 2. Fills the form, uploads the certificate photo, agrees and sends (portal-apply's steps).
    page.locator('a[href="/thu-tuc/1.001193/nop/"]').click()
    page.wait_for_url("**/nop/")
    audit_page(page, "journey: /thu-tuc/…/nop/ (first step)")
    fill_application(page, photo(tmp_path / "giay-chung-sinh.jpg"))
    audit_page(page, "journey: /thu-tuc/…/nop/xem-lai/ (review)")
    dossier = send(page)
    audit_page(page, "journey: /thu-tuc/…/nop/da-nop/ (confirmation)")
    shot(page, "journey-3-confirmation")
    code, secret = dossier.code, dossier.lookup_secret

    # 3. The commune: reception receives, the specialist proposes, the leader signs.
    act(live_server, "reception", code, "receive")
    if Dossier.objects.get(code=code).state == "received":
        act(live_server, "reception", code, "assign", {"to": "specialist"})
    act(live_server, "specialist", code, "propose", {"note": "Đủ điều kiện"})
    entered(code)
    act(
        live_server,
        "leader",
        code,
        "approve",
        {"otp": totp_code(User.objects.get(username="leader"))},
    )
    dossier.refresh_from_db()
    if dossier.state == "result_ready":  # handed over at the desk unless delivered online
        act(live_server, "reception", code, "return", {"channel": "counter"})

    # 4. The citizen opens the status page from the receipt's QR code.
    page.goto(f"/tra-cuu/?code={code}&secret={secret}")
    audit_page(page, "journey: /tra-cuu/ (returned, result)")
    shot(page, "journey-4-status")
    main = page.inner_text("main")
    assert "Đăng ký khai sinh" in main
    payment = ApiClient().get(f"/api/v1/dossiers/lookup?code={code}&secret={secret}").json()
    if payment.get("payment") and payment["payment"]["status"] in ("unpaid", "partial"):
        assert page.locator(".vietqr-code svg").is_visible()
    else:  # birth registration in time is free: no QR code to scan
        assert page.locator(".vietqr-code").count() == 0
    # 5. Downloads the signed result.
    link = page.locator('.status a[download][href*="/results/download"]')
    with page.expect_download() as download_info:
        link.click()
    pdf = Path(download_info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF") and b"/ByteRange" in pdf  # a signed PDF
    # 6. Rates the service.
    page.locator("label[for=score-5]").click()
    page.locator("#comment").fill("Nhanh, không phải đi lại")
    shot(page, "journey-5-rating")
    page.locator("form.rating button[type=submit]").click()
    page.wait_for_url("**rated=1*")
    audit_page(page, "journey: /tra-cuu/ (rated)")
    shot(page, "journey-6-rated")
    assert Dossier.objects.get(code=code).rating == 5

    # 7. The same receipt scanned at the kiosk of the commune office.
    kiosk = browser.new_context(
        base_url=live_server.url, viewport={"width": 1080, "height": 1920}, locale="vi-VN"
    ).new_page()
    kiosk.goto("/kiosk/tra-cuu/")
    kiosk.keyboard.type(f"{live_server.url}/tra-cuu/?code={code}&secret={secret}")
    kiosk.keyboard.press("Enter")
    kiosk.wait_for_url("**/kiosk/tra-cuu/?scan=*")
    assert code in kiosk.inner_text("main")
    audit_page(kiosk, "journey: /kiosk/tra-cuu/ (scanned)")
    shot(kiosk, "journey-7-kiosk")
    kiosk.context.close()
