"""A team member files a birth registration for a resident from the workspace on a 360 px phone
without JavaScript (the errors first, then the consent's photo and the certificate), and the filed
dossier is theirs to open; with JavaScript on, the pages fit the phone and are axe-clean.
Screenshots: var/screenshots/community-file-*.png."""

from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image

from tests.helpers.screenshots import SCREENSHOTS, shot
from xaso.dossiers.models import Dossier

from .test_community_field_log import sign_in

PHONE = {"width": 360, "height": 740}
FORM = "/to-cong-nghe-so/nop-ho-so/1.001193/"
TEXT = {
    "applicant.full_name": "Y Bhiơ Niê",
    "applicant.date_of_birth.day": "2",
    "applicant.date_of_birth.month": "3",
    "applicant.date_of_birth.year": "1960",
    "applicant.personal_id": "066060001234",
    "phone": "0912345678",
    "child.full_name": "H'Hen Niê",
    "child.date_of_birth.day": "20",
    "child.date_of_birth.month": "11",
    "child.date_of_birth.year": "2026",
    "child.ethnicity": "Ê Đê",
    "child.nationality": "Việt Nam",
    "place_of_birth": "Trạm Y tế xã Phú Lộc",
    "mother.full_name": "H'Lan Niê",
    "mother.date_of_birth.day": "1",
    "mother.date_of_birth.month": "1",
    "mother.date_of_birth.year": "1998",
}
CHOSEN = {
    "applicant.sex": "male",
    "relationship": "grandparent",
    "child.sex": "female",
    "mother.sex": "female",
    "delivery": "counter",
    "consent_method": "photo",
}


def jpeg(path: Path) -> Path:
    Image.new("RGB", (800, 600), (200, 180, 160)).save(path, "JPEG")
    return path


def fits_the_phone(name: str) -> bool:
    """Without JavaScript the page cannot be measured from inside: a full-page screenshot is as
    wide as what scrolls sideways."""
    with Image.open(SCREENSHOTS / f"{name}.png") as image:
        return image.width <= PHONE["width"]


def file_button(page):
    return page.locator('.actions button[value="file"]')


def test_filing_for_a_resident_without_javascript(browser, live_server, demo_committed, tmp_path):
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, locale="vi-VN", java_script_enabled=False
    )
    page = context.new_page()
    try:
        page.goto("/to-cong-nghe-so/dang-nhap/")
        page.fill("#id_username", "community")
        page.fill("#id_password", settings.XASO_DEMO_PASSWORD)
        page.locator("#id_password").press("Enter")
        page.wait_for_url("**/to-cong-nghe-so/")
        page.goto("/to-cong-nghe-so/nop-ho-so/")
        page.fill("#q", "khai sinh")
        page.locator("#q").press("Enter")
        page.locator(f'a[href="{FORM}"]').click()
        page.wait_for_url(f"**{FORM}")
        shot(page, "community-file-nojs-1-form")
        file_button(page).click()  # nothing filled: every problem at the top, and beside it
        assert page.locator("#error-summary").is_visible()
        assert page.locator("#f-consent-error").is_visible()
        shot(page, "community-file-nojs-1-errors")
        assert fits_the_phone("community-file-nojs-1-errors")
        for name, value in TEXT.items():
            page.fill(f'[name="{name}"]', value)
        for name, value in CHOSEN.items():
            page.check(f'[name="{name}"][value="{value}"]')
        page.select_option('[name="mother_residence.commune"]', "DEMO-PL")
        page.locator('button[value="refresh"]').click()  # the commune's villages, no script
        page.select_option('[name="mother_residence.village"]', "thon-loc-tan")
        page.check('[name="has_birth_certificate"]')
        page.check('[name="consent_given"]')
        page.set_input_files('[name="consent_photo"]', str(jpeg(tmp_path / "dong-y.jpg")))
        file_button(page).click()
        # The certificate is asked once the answers say there is one; the rest is kept.
        assert page.locator(".notice").is_visible()
        assert page.locator('[name="applicant.full_name"]').input_value() == "Y Bhiơ Niê"
        page.set_input_files('[name="birth_certificate"]', str(jpeg(tmp_path / "giay.jpg")))
        shot(page, "community-file-nojs-2-documents")
        assert fits_the_phone("community-file-nojs-2-documents")
        file_button(page).click()
        page.wait_for_url("**/to-cong-nghe-so/ho-so/*/")
        dossier = Dossier.objects.get(written_by__username="community", channel="community")
        assert dossier.code in page.url and dossier.lookup_secret in page.content()
        assert dossier.consent["method"] == "photo"
        assert dossier.attachments.count() == 1
        shot(page, "community-file-nojs-3-filed")
        page.goto("/to-cong-nghe-so/ho-so/")
        assert page.locator(f'a[href="/to-cong-nghe-so/ho-so/{dossier.code}/"]').is_visible()
        other = Dossier.objects.exclude(written_by__username="community").first()
        if other is not None:
            assert page.goto(f"/to-cong-nghe-so/ho-so/{other.code}/").status == 404
    finally:
        context.close()


@pytest.mark.browser
def test_the_filing_form_fits_the_phone(page, demo_committed):
    sign_in(page)  # JavaScript on: every page loaded is weighed and checked with axe-core
    page.goto("/to-cong-nghe-so/nop-ho-so/")
    shot(page, "community-file-choose")
    page.goto(FORM)
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    shot(page, "community-file-form")
