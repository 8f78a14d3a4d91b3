"""The applicant's files from the status page: Form 01, each payment's receipt, the VietQR image
(issue 16 item 4). Each needs the code and secret; Form 01 and receipts are logged reads."""
# ruff: noqa: F811 (the dossier tests' fixtures, imported here, are test arguments)

import re

from tests.dossiers.conftest import at, demo, procedure_submission, staff  # noqa: F401
from tests.helpers.api import ApiClient
from tests.portal.test_status_page import act, page
from xaso.core.models import AuditEntry
from xaso.dossiers.models import Dossier
from xaso.payments.services import cash_record


def received_with_a_fee(staff, at) -> tuple[str, str]:
    at(2026, 11, 30, 9, 0)
    body = procedure_submission("2.000635", "online", fixed={"copies": 3})
    created = ApiClient().post("/api/v1/dossiers", body).json()
    act(staff["reception"], created["code"], "receive")
    return created["code"], created["lookup_secret"]


DOWNLOAD = re.compile(r'<a (?:class="[^"]*" )?href="([^"]+)" download>([^<]+)</a>')


def links(html: str) -> dict[str, str]:
    """The page's download links by their text."""
    return {name: url.replace("&amp;", "&") for url, name in DOWNLOAD.findall(html)}


def test_form_01_is_downloaded_with_the_secret_and_the_read_is_logged(staff, at, client):
    code, secret = received_with_a_fee(staff, at)
    _status, html = page(client, code, secret)
    url = links(html)["Receipt and appointment (Form 01, PDF)"]
    assert url.startswith("/tra-cuu/mau/receipt.pdf?")
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    assert f'filename="mau-01-{code}.pdf"' in response["Content-Disposition"]
    read = AuditEntry.objects.filter(action="personal_data.view", object_id=code).last()
    assert read.data == {"fields": ["form:receipt"], "purpose": "applicant_download"}
    wrong = client.get(f"/tra-cuu/mau/receipt.pdf?code={code}&secret=WRONGWRONG")
    assert wrong.status_code == 404
    office_only = client.get(f"/tra-cuu/mau/control-slip.pdf?code={code}&secret={secret}")
    assert office_only.status_code == 404


def test_the_vietqr_image_and_the_lines_to_copy(staff, at, client):
    code, secret = received_with_a_fee(staff, at)
    _status, html = page(client, code, secret)
    image = client.get(links(html)["Save the QR image"])
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert image.content.startswith(b"\x89PNG")
    # Plain text to select (the copy buttons appear with JavaScript only).
    assert '<span class="copy-value" id="pay-amount">24000</span>' in html
    assert '<span class="copy-value" id="pay-note">XASO DEMOPL2611300001</span>' in html
    assert '<span class="copy-value" id="pay-account">0000000000000</span>' in html
    assert html.count('data-copy="pay-') == 3 and "hidden>" in html


def test_each_payment_receipt_is_downloaded_from_the_status_page(staff, at, demo, client):
    code, secret = received_with_a_fee(staff, at)
    payment = cash_record(actor=demo["reception"], dossier=Dossier.objects.get(code=code),
                          amount=24000)  # fmt: skip
    _status, html = page(client, code, secret)
    url = links(html)[f"Receipt {payment.receipt_number} (PDF)"]
    response = client.get(url)
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
    read = AuditEntry.objects.filter(action="personal_data.view", object_id=code).last()
    assert read.data["fields"] == [f"receipt:{payment.receipt_number}"]
    other = client.get(url.replace(secret, "WRONGWRONG"))
    assert other.status_code == 404


def test_the_supplement_request_form_02_is_offered_while_it_is_open(staff, at, client):
    at(2026, 11, 30, 9, 0)
    body = procedure_submission("2.000635", "online")
    created = ApiClient().post("/api/v1/dossiers", body).json()
    code, secret = created["code"], created["lookup_secret"]
    assert links(page(client, code, secret)[1]) == {}  # nothing issued yet
    act(staff["reception"], code, "request-supplement", {"items": ["Bản sao trích lục"]})
    papers = links(page(client, code, secret)[1])
    assert list(papers) == ["Supplement request (Form 02, PDF)"]
    response = client.get(papers["Supplement request (Form 02, PDF)"])
    assert response.status_code == 200 and response.content.startswith(b"%PDF-")
