"""/xac-thuc/: anyone checks a signed result by its PDF or its QR code, without JavaScript."""

import html
import re
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from tests.results.conftest import ready  # noqa: F401 (fixture)
from xaso.dossiers import services
from xaso.results.models import ResultDocument
from xaso.results.services import result_revoke
from xaso.results.verification import Verification

EN = {"HTTP_COOKIE": "django_language=en"}
VN = ZoneInfo("Asia/Ho_Chi_Minh")


def page(response) -> str:
    return response.content.decode()


def verdict_of(response) -> str | None:
    text = page(response)
    marker = 'data-status="'
    return text.split(marker, 1)[1].split('"', 1)[0] if marker in text else None


def fake(status: str, **extra) -> Verification:
    facts = {
        "document_number": "12/TLKS",
        "commune": {"code": "DEMO-PL", "name": "Xã Phú Lộc (demo)"},
        "signed_at": datetime(2026, 11, 25, 9, 30, tzinfo=VN),
        "signer": {"name": "Nguyễn Văn Minh", "title": "Phó Chủ tịch"},
    }
    return Verification(status=status, **({} if status == "tampered" else facts), **extra)


@pytest.fixture
def seal_answer(monkeypatch):
    """Make the seal check answer `Verification` objects of our choosing."""
    seen = []

    def answer(result):
        def verify_seal(text):
            seen.append(text)
            return result

        monkeypatch.setattr("xaso.results.verification.verify_seal", verify_seal)
        return seen

    return answer


def test_the_empty_page_offers_both_ways_to_check(client, db):
    response = client.get("/xac-thuc/", **EN)
    assert response.status_code == 200
    text = page(response)
    assert "Check a signed document" in text
    assert 'enctype="multipart/form-data"' in text and 'name="csrfmiddlewaretoken"' in text
    assert '<label class="label" for="document">' in text and 'for="seal"' in text
    assert verdict_of(response) is None


def test_a_valid_seal_shows_the_commune_number_date_and_signer(client, db, seal_answer):
    seen = seal_answer(fake("valid"))
    response = client.get("/xac-thuc/?seal=abc.def", **EN)
    assert response.status_code == 200 and verdict_of(response) == "valid"
    text = page(response)
    assert "This document is genuine" in text
    assert "Xã Phú Lộc (demo)" in text and "12/TLKS" in text
    assert "25/11/2026" in text and "09:30" in text
    assert "Nguyễn Văn Minh, Phó Chủ tịch" in text
    assert seen == ["abc.def"]


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("tampered", "this document is not genuine"),
        ("unknown_signer", "We cannot confirm this document"),
        ("revoked", "This document has been cancelled"),
    ],
)
def test_each_other_verdict_says_so_plainly(client, db, seal_answer, status, words):
    seal_answer(fake(status))
    response = client.get("/xac-thuc/?seal=abc.def", **EN)
    assert response.status_code == 200 and verdict_of(response) == status
    assert words in page(response)
    if status == "tampered":
        assert "Issued by" not in page(response)


def test_a_revoked_document_shows_why(client, db, seal_answer):
    seal_answer(fake("revoked", revoked_at=datetime(2026, 11, 26, 8, 0, tzinfo=VN),
                     revoke_reason="Cấp nhầm người"))  # fmt: skip
    text = page(client.get("/xac-thuc/?seal=abc.def", **EN))
    assert "Cấp nhầm người" in text and "26/11/2026" in text


def test_the_qr_address_scanned_into_the_field_is_understood(client, db, seal_answer):
    seen = seal_answer(fake("valid"))
    scanned = "https://xaso.example.vn/xac-thuc/?seal=abc.def"
    assert client.get(f"/xac-thuc/?seal={quote(scanned)}").status_code == 200
    assert seen == ["abc.def"]


def test_bad_uploads_get_a_clear_error_and_the_form_back(client, db, settings):
    settings.XASO_VERIFY_MAX_BYTES = 1000
    cases = {
        "missing": {},
        "empty": {"document": SimpleUploadedFile("a.pdf", b"", "application/pdf")},
        "not a pdf": {"document": SimpleUploadedFile("a.pdf", b"GIF89a" * 10, "application/pdf")},
        "too large": {"document": SimpleUploadedFile("a.pdf", b"%PDF-" + b"x" * 2000)},
    }
    messages = {
        "missing": "Choose the PDF file",
        "empty": "This file is empty",
        "not a pdf": "not a PDF",
        "too large": "larger than",
    }
    for case, data in cases.items():
        response = client.post("/xac-thuc/", data, **EN)
        assert response.status_code == 400, case
        text = page(response)
        assert messages[case] in text, case
        assert 'role="alert"' in text and 'name="document"' in text, case


def test_a_huge_upload_is_refused_from_its_declared_size(client, db, settings):
    settings.XASO_VERIFY_MAX_BYTES = 1000
    response = client.generic(
        "POST", "/xac-thuc/", b"x" * 100, CONTENT_TYPE="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(10 * 1024 * 1024), **EN,
    )  # fmt: skip
    assert response.status_code == 400 and "larger than" in page(response)


def test_the_upload_form_needs_its_csrf_token(db):
    browser = Client(enforce_csrf_checks=True)
    upload = SimpleUploadedFile("a.pdf", b"%PDF-1.7", "application/pdf")
    assert browser.post("/xac-thuc/", {"document": upload}).status_code == 403


def test_checking_is_rate_limited(client, db, settings, seal_answer):
    settings.XASO_RATE_VERIFY = "2/m"
    seal_answer(fake("valid"))
    statuses = [client.get("/xac-thuc/?seal=abc.def", **EN).status_code for _ in range(3)]
    assert statuses == [200, 200, 429]
    response = client.get("/xac-thuc/?seal=abc.def", **EN)
    assert "Too many requests" in page(response) and response["Retry-After"]


# --- with results really signed ------------------------------------------------------------


@pytest.fixture
def signed(ready, demo):  # noqa: F811
    dossier = services.dossier_approve(actor=demo["leader"], dossier=ready())
    return ResultDocument.objects.select_related("commune").get(dossier=dossier)


def upload(client, data: bytes):
    document = SimpleUploadedFile("ket-qua.pdf", data, "application/pdf")
    return client.post("/xac-thuc/", {"document": document}, **EN)


def summary(response) -> dict[str, str]:
    """The verdict's facts as the reader sees them: label → value."""
    rows = re.findall(r"<dt>(.*?)</dt><dd>(.*?)</dd>", page(response))
    return {label: html.unescape(re.sub(r"<[^>]+>", "", value)) for label, value in rows}


def test_a_signed_result_uploaded_names_the_paper_and_its_holder(client, signed, demo):
    response = upload(client, bytes(signed.pdf))
    assert response.status_code == 200 and verdict_of(response) == "valid"
    facts = summary(response)
    assert facts["Document"] == "Trích lục khai sinh"
    assert facts["Document number"] == signed.number
    assert facts["Issued to"] == signed.holder_name == "H'Hen Niê"
    assert facts["Issued by"] == "People's Committee of Xã Phú Lộc (demo)"
    leader = demo["leader"].get_full_name()
    # The demo leader's name already holds the title: said once, not "…xã (demo), … xã".
    assert facts["Signed by"] == leader == "Phó Chủ tịch UBND xã (demo)"
    text = page(response)
    assert text.count("Phó Chủ tịch") == 1
    assert "066060001234" not in text and "Y Bhiơ" not in text  # nothing of the applicant


def test_its_qr_address_opens_the_same_verdict(client, signed):
    response = client.get(f"/xac-thuc/?seal={quote(signed.seal)}", **EN)
    assert verdict_of(response) == "valid" and signed.number in page(response)
    assert summary(response)["Document"] == "Trích lục khai sinh"


def test_a_changed_file_is_not_genuine(client, signed):
    data = bytearray(signed.pdf)
    data[len(data) // 3] ^= 0x01
    response = upload(client, bytes(data))
    assert response.status_code == 200 and verdict_of(response) == "tampered"


def test_a_revoked_result_shows_the_reason(client, signed, demo):
    result_revoke(actor=demo["admin"], document=signed, reason="Cấp nhầm, đã cấp lại")
    response = upload(client, bytes(signed.pdf))
    assert verdict_of(response) == "revoked" and "Cấp nhầm, đã cấp lại" in page(response)
