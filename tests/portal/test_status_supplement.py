"""/tra-cuu/: the citizen sees what the commune asks for and answers it from the status page,
without JavaScript (the Django test client); the code is found however it is typed."""
# ruff: noqa: F811 (the dossier tests' fixtures, imported here, are test arguments)

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests.dossiers.conftest import at, demo, procedure_submission, staff, submission  # noqa: F401
from tests.helpers.api import ApiClient
from tests.portal.test_status_page import EN, act, online, page
from xaso.core.models import AuditEntry
from xaso.dossiers.models import Dossier, Upload

ITEMS = ["Bản sao giấy chứng nhận kết hôn của cha mẹ", "Ảnh giấy chứng sinh chụp lại rõ nét"]


def photo(name: str = "giay.png") -> SimpleUploadedFile:
    """A small PNG with a text chunk that re-encoding must drop."""
    from PIL import PngImagePlugin

    info = PngImagePlugin.PngInfo()
    info.add_text("Author", "Nguyen Van A")
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "white").save(buffer, "PNG", pnginfo=info)
    return SimpleUploadedFile(name, buffer.getvalue(), "image/png")


def asked(staff, at) -> tuple[str, str]:
    at(2026, 11, 30, 9, 0)
    code, secret = online(staff)
    at(2026, 11, 30, 10, 15)
    act(staff["reception"], code, "request-supplement", {"items": ITEMS, "note": "Một lần"})
    return code, secret


def test_the_status_page_lists_what_is_asked_and_offers_an_upload_per_item(staff, at, client):
    code, secret = asked(staff, at)
    status, html = page(client, code.lower().replace("-", ""), secret.lower())
    assert status == 200
    for item in ITEMS:
        assert item in html
    assert "Một lần" in html and "30/11/2026 10:15" in html
    assert 'action="/tra-cuu/bo-sung/"' in html and 'enctype="multipart/form-data"' in html
    assert 'name="item-1"' in html and 'name="item-2"' in html and 'name="item-3"' not in html


def test_answering_without_javascript_uploads_reencoded_files_and_resubmits(staff, at, client):
    code, secret = asked(staff, at)
    at(2026, 12, 1, 8, 0)
    response = client.post(
        "/tra-cuu/bo-sung/",
        {"code": code.lower(), "secret": secret, "item-1": photo(), "item-2": [photo(), photo()],
         "note": "Đã chụp lại"},
        **EN,
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"].endswith("supplemented=1")
    dossier = Dossier.objects.get(code=code)
    assert dossier.state == "submitted"
    sent = list(dossier.attachments.filter(field_name="supplement").select_related("upload"))
    assert sorted(a.document_key for a in sent) == [
        "supplement-1-1",
        "supplement-1-2",
        "supplement-1-2",
    ]
    stored = sent[0].upload.file.open("rb").read()
    assert b"Nguyen Van A" not in stored  # re-encoded like every upload
    _status, html = page(client, code, secret)
    assert "Submitted" in html and 'name="item-1"' not in html  # nothing left to answer


def test_an_answer_while_paused_is_acknowledged_until_the_desk_resumes(staff, at, client):
    at(2026, 11, 30, 9, 0)
    body = procedure_submission("1.004873", receive=True)
    created = staff["reception"].post("/api/v1/dossiers", body).json()
    code, secret = created["code"], created["lookup_secret"]
    act(staff["specialist"], code, "request-supplement", {"items": ["Bản sao giấy ly hôn"]})
    at(2026, 12, 1, 9, 0)
    response = client.post("/tra-cuu/bo-sung/", {"code": code, "secret": secret, "item-1": photo()})
    assert response.status_code == 302
    _status, html = page(client, code, secret, supplemented="1")
    assert "Bản sao giấy ly hôn" in html and 'name="item-1"' not in html
    assert "You sent your documents on 01/12/2026 09:00" in html


def test_a_bad_file_or_an_empty_answer_keeps_the_request_open(staff, at, client):
    code, secret = asked(staff, at)
    fake = SimpleUploadedFile("x.pdf", b"not a pdf", "application/pdf")
    response = client.post(
        "/tra-cuu/bo-sung/", {"code": code, "secret": secret, "item-1": fake}, **EN
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "Only PDF, JPEG or PNG files are accepted." in html and ITEMS[0] in html
    empty = client.post("/tra-cuu/bo-sung/", {"code": code, "secret": secret}, **EN)
    assert empty.status_code == 400 and "Attach the documents" in empty.content.decode()
    assert Dossier.objects.get(code=code).state == "supplement_requested"
    assert (
        not Upload.objects.filter(attachments__dossier__code=code)
        .exclude(attachments__field_name="birth_certificate")
        .exists()
    )


def test_a_wrong_secret_answers_nothing_and_counts_as_a_lookup(staff, at, client, settings):
    code, _secret = asked(staff, at)
    settings.XASO_RATE_LOOKUP = "2/m"
    statuses = [
        client.post(
            "/tra-cuu/bo-sung/", {"code": code, "secret": "WRONG", "item-1": photo()}
        ).status_code
        for _ in range(3)
    ]
    assert statuses == [404, 404, 429]
    assert Dossier.objects.get(code=code).state == "supplement_requested"
    assert not AuditEntry.objects.filter(action="dossier.resubmit").exists()


def test_the_fee_is_shown_from_submission(staff, at, client):
    at(2026, 11, 30, 9, 0)
    body = procedure_submission("2.000635", "online", fixed={"copies": 3})
    created = ApiClient().post("/api/v1/dossiers", body).json()
    _status, html = page(client, created["code"], created["lookup_secret"])
    assert "24.000 ₫" in html and "VietQR" not in html
    free = ApiClient().post("/api/v1/dossiers", submission()).json()  # a birth: no fee
    _status, html = page(client, free["code"], free["lookup_secret"])
    assert "Free" in html


def test_the_code_field_capitalises_and_shows_an_example(client, db, at):
    at(2026, 11, 30, 9, 0)
    html = client.get("/tra-cuu/", **EN).content.decode()
    assert 'autocapitalize="characters"' in html
    assert "For example" in html


def test_the_kiosk_finds_the_code_typed_in_pieces_and_lower_case(staff, at, client):
    at(2026, 11, 30, 9, 0)
    code, secret = online(staff)
    typed = f"{code.lower().replace('-', ' ')} {secret.lower()}"
    response = client.get("/kiosk/tra-cuu/", {"scan": typed}, **EN)
    assert response.status_code == 200 and "Đăng ký khai sinh" in response.content.decode()
