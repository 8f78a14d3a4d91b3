"""A citizen applies for a birth registration on a cheap phone: finds it, fills it, uploads the
hospital's birth certificate (shrunk in the browser), reads the personal-data notice, declares
what they wrote true (the optional uses of their data left unticked, or Zalo chosen), sends;
the same without JavaScript; and the chip ID card's QR code read by a (fake) camera fills the
applicant.
Screenshots of every step: var/screenshots/apply-*.png."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
import segno
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, audit_page
from tests.helpers.screenshots import shot
from xaso.dossiers.models import Dossier, Upload

PHONE = {"width": 360, "height": 800}
CARD_TEXT = "066060001234||Y Bhiơ Niê|02031960|Nam|Thôn Lộc Tân, xã Phú Lộc, Đắk Lắk|15042021"


def photo(path: Path, size=(3000, 2000)) -> Path:
    image = Image.new("RGB", size, (235, 230, 220))
    for x in range(0, size[0], 50):  # some detail, as a photographed paper has
        image.paste((40, 40, 40), (x, 0, x + 3, size[1]))
    image.save(path, "JPEG", quality=90)
    return path


def fill_date(page, name: str, when) -> None:
    page.fill(f'[name="{name}.day"]', str(when.day))
    page.fill(f'[name="{name}.month"]', str(when.month))
    page.fill(f'[name="{name}.year"]', str(when.year))


def has_js(page) -> bool:
    return page.evaluate("document.documentElement.classList.contains('js')")


def continue_(page) -> None:
    page.locator("button[name=_action][value=next]").click()
    page.wait_for_load_state()


def fill_application(page, certificate: Path, *, scanned=False, prefix="") -> None:
    """From the first step to the review page."""
    page.select_option("#f-commune", "DEMO-PL")
    if not scanned:
        page.fill('[name="applicant.full_name"]', "Y Bhiơ Niê")
        fill_date(page, "applicant.date_of_birth", timezone.datetime(1960, 3, 2))
        page.check("#f-applicant-sex")
        page.fill('[name="applicant.personal_id"]', "066060001234")
    page.check("[name=relationship][value=grandparent]")
    page.fill("[name=phone]", "0912345678")
    shot(page, "apply-" + prefix + "1-applicant")
    continue_(page)

    assert page.get_by_role("heading", level=1).inner_text() == "Trẻ được đăng ký khai sinh"
    page.fill('[name="child.full_name"]', "H'Hen Niê")
    fill_date(page, "child.date_of_birth", timezone.localdate() - timedelta(days=5))
    page.check("#f-child-sex-f")
    page.fill('[name="child.ethnicity"]', "Ê Đê")
    page.fill('[name="child.nationality"]', "Việt Nam")
    page.fill("[name=place_of_birth]", "Trạm Y tế xã Phú Lộc")
    shot(page, "apply-" + prefix + "2-child")
    continue_(page)

    assert page.get_by_role("heading", level=1).inner_text() == "Mẹ của trẻ"
    page.fill('[name="mother.full_name"]', "H'Lan Niê")
    fill_date(page, "mother.date_of_birth", timezone.datetime(1998, 1, 1))
    page.check("#f-mother-sex-f")
    # The province of the commune is preselected; its communes are listed without JavaScript.
    javascript = has_js(page)
    with page.expect_navigation():
        page.select_option('[name="mother_residence.commune"]', "DEMO-PL")
        if not javascript:  # the button that JavaScript presses on a change
            page.locator("button[name=_action][value=refresh]").click()
    page.select_option('[name="mother_residence.village"]', "thon-loc-tan")
    shot(page, "apply-" + prefix + "3-mother")
    continue_(page)

    page.check("[name=has_birth_certificate]")  # the father is unknown: his page is skipped
    shot(page, "apply-" + prefix + "4-more")
    continue_(page)

    assert page.get_by_role("heading", level=1).inner_text() != ""
    page.set_input_files("[name=birth_certificate]", str(certificate))
    if has_js(page):
        page.wait_for_selector('[name="birth_certificate.token"]', state="attached")
    shot(page, "apply-" + prefix + "5-documents")
    continue_(page)

    page.check("#f-delivery-electronic")
    shot(page, "apply-" + prefix + "6-delivery")
    continue_(page)


def read_the_notice(page) -> None:
    """The personal-data notice a person reads on the review step (Vietnamese, the default)."""
    notice = page.locator("#personal-data-notice")
    expect(notice).to_be_visible()
    text = notice.inner_text()
    for words in ("Công an xã", "Cơ sở dữ liệu hộ tịch điện tử của Bộ Tư pháp",
                  "Cổng Dịch vụ công quốc gia", "SMS, Zalo và thư điện tử", "ngân hàng",
                  "dữ liệu cá nhân nhạy cảm", "lưu vĩnh viễn", "Bộ phận Một cửa",
                  "91/2025/QH15", "356/2025/NĐ-CP"):  # fmt: skip
        assert words in text, words
    assert "rút" not in text  # no "withdraw consent" for what the law requires
    link = notice.get_by_role("link", name="Dữ liệu cá nhân của bạn")
    assert link.get_attribute("href") == "/du-lieu-ca-nhan/"


def send(page, *, try_without_declaration=False, prefix="", zalo=False) -> Dossier:
    assert page.url.endswith("/nop/xem-lai/")
    read_the_notice(page)
    shot(page, "apply-" + prefix + "7-review")
    for box in ("#f-declaration", "#f-use-zalo", "#f-use-reuse"):
        assert not page.locator(box).is_checked(), box  # never pre-ticked
    if try_without_declaration:  # a 400 answer: the `page` fixture takes it for a console error
        page.locator("#review-form button[type=submit]").click()
        page.wait_for_load_state()
        assert page.locator("#error-summary").is_visible()
        assert "cam đoan" in page.locator("#error-summary").inner_text()
        shot(page, "apply-" + prefix + "7-review-declaration-missing")
    page.check("#f-declaration")
    if zalo:
        page.check("#f-use-zalo")
    page.locator("#review-form button[type=submit]").click()
    page.wait_for_url("**/nop/da-nop/**")
    dossier = Dossier.objects.get()
    assert dossier.consent["uses"] == {**dossier.consent["uses"], "zalo": zalo,
                                       "reuse_documents": False}  # fmt: skip
    assert page.locator("#dossier-code").inner_text() == dossier.code
    assert page.locator("#lookup-secret").inner_text() == dossier.lookup_secret
    assert page.locator(".qr img").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    return dossier


def test_a_citizen_finds_birth_registration_fills_it_uploads_a_photo_and_sends_it(
    page, demo_committed, tmp_path
):
    page.set_viewport_size(PHONE)
    page.goto("/thu-tuc/?q=khai+sinh")
    page.get_by_role("link", name="Đăng ký khai sinh", exact=True).click()
    page.locator('a[href="/thu-tuc/1.001193/nop/"]').click()
    page.wait_for_url("**/nop/")
    assert page.locator("#cccd-scan").is_visible() == bool(
        page.evaluate("!!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia)")
    )
    fill_application(page, photo(tmp_path / "giay-chung-sinh.jpg"))
    dossier = send(page, zalo=True)
    shot(page, "apply-8-confirmation")

    # The server received the photo shrunk in the browser (3000 px wide -> 1600).
    upload = Upload.objects.get()
    with Image.open(io.BytesIO(upload.file.read())) as received:
        assert max(received.size) == 1600
    assert dossier.attachments.get().upload == upload
    assert dossier.answers["child"]["full_name"] == "H'Hen Niê"


def test_the_same_application_without_javascript(browser, live_server, demo_committed, tmp_path):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, locale="vi-VN", java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto("/thu-tuc/1.001193/nop/")
        assert not page.locator("#cccd-scan").is_visible()
        # An error first: shown at the top and beside the field, what was typed is kept.
        page.fill('[name="applicant.full_name"]', "Y Bhiơ Niê")
        page.fill('[name="applicant.personal_id"]', "12345")
        continue_(page)
        assert page.locator("#error-summary").is_visible()
        assert page.locator("#f-applicant-personal_id-error").is_visible()
        assert page.locator('[name="applicant.full_name"]').input_value() == "Y Bhiơ Niê"
        shot(page, "apply-nojs-1-errors")
        fill_application(page, photo(tmp_path / "nojs.jpg", size=(1200, 900)), prefix="nojs-")
        dossier = send(page, try_without_declaration=True, prefix="nojs-")
        shot(page, "apply-nojs-8-confirmation")
        assert dossier.attachments.count() == 1
    finally:
        context.close()


def fake_camera_video(path: Path, text: str) -> Path:
    """A Y4M clip showing the card's QR code, for Chromium's fake camera."""
    qr = io.BytesIO()
    segno.make(text, error="m").save(qr, kind="png", scale=6, border=4)
    code = Image.open(io.BytesIO(qr.getvalue())).convert("L")
    frame = Image.new("L", (640, 480), 255)
    frame.paste(code, ((640 - code.width) // 2, (480 - code.height) // 2))
    y = frame.tobytes()
    chroma = bytes([128]) * (320 * 240)  # grey: no colour
    with path.open("wb") as out:
        out.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _frame in range(10):
            out.write(b"FRAME\n" + y + chroma + chroma)
    return path


@pytest.fixture
def camera_browser(browser, tmp_path):
    """A second Chromium whose camera films the card's QR code (launched through the session's
    Playwright: one sync Playwright per thread)."""
    video = fake_camera_video(tmp_path / "cccd.y4m", CARD_TEXT)
    camera = browser.browser_type.launch(
        executable_path=CHROMIUM,
        args=[
            *CHROMIUM_ARGS,
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            f"--use-file-for-fake-video-capture={video}",
        ],
    )
    yield camera
    camera.close()


def test_the_id_card_qr_read_by_the_camera_fills_the_applicant(
    camera_browser, live_server, demo_committed, tmp_path
):
    context = camera_browser.new_context(base_url=live_server.url, viewport=PHONE, locale="vi-VN")
    context.grant_permissions(["camera"])
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    decoder_requests = []
    page.on("request", lambda r: "jsQR" in r.url and decoder_requests.append(r.url))
    try:
        page.goto("/thu-tuc/1.001193/nop/")
        assert decoder_requests == []  # the decoder is loaded only on the button press
        page.locator("#cccd-scan-button").click()
        name = page.locator('[name="applicant.full_name"]')
        expect(name).to_have_value("Y Bhiơ Niê", timeout=20_000)
        assert page.locator('[name="applicant.personal_id"]').input_value() == "066060001234"
        assert page.locator('[name="applicant.date_of_birth.year"]').input_value() == "1960"
        assert page.locator('[name="applicant.date_of_birth.month"]').input_value() == "3"
        assert page.locator("#f-applicant-sex").is_checked()
        has_detector = page.evaluate("'BarcodeDetector' in window")
        assert bool(decoder_requests) != has_detector
        figure = audit_page(page, "apply: applicant after the ID card scan")
        if decoder_requests:  # the decoder, loaded on the button press, has a budget of its own
            assert 0 < figure["later_bytes"] <= 60 * 1024
        shot(page, "apply-cccd-scanned")
        certificate = photo(tmp_path / "cert.jpg", size=(800, 600))
        fill_application(page, certificate, scanned=True, prefix="cccd-")
        assert page.url.endswith("/nop/xem-lai/")
        assert errors == []
    finally:
        context.close()
