"""The official documents (forms 01–07 of Circular 03/2025/TT-VPCP) as PDF and .xlsx, read back:
exact Vietnamese titles and diacritics, the commune, the dossier code, the appointment, the QR."""

import os
import unicodedata
from datetime import date, datetime
from io import BytesIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import segno
from django.utils import translation
from django.utils.translation import gettext
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.dossiers.conftest import birth_answers, upload
from tests.helpers.registers import entered
from xaso.core.errors import DomainError
from xaso.dossiers import services
from xaso.dossiers.documents import (
    FORMS,
    DocumentNotAvailable,
    available_documents,
    date_line,
    document_filename,
    document_pdf,
    lookup_url,
    moment_words,
    place_name,
)
from xaso.dossiers.models import Dossier
from xaso.dossiers.register import register_pdf, register_rows, register_xlsx
from xaso.dossiers.submission import dossier_submit
from xaso.places.models import Commune, Village

VN = ZoneInfo("Asia/Ho_Chi_Minh")
BASE_URL = "https://xaso.example.vn/"
COMMUNE = "Xã Phú Lộc (demo)"
APPLICANT = {
    "full_name": "Y Bhiơ Niê",
    "personal_id": "066060001234",
    "phone": "0912345678",
    "address": "Thôn Lộc Tân, xã Phú Lộc (demo)",
    "village": "thon-loc-tan",
}
# The masthead of every document: the issuing body, the national motto, the form's number.
MASTHEAD = [
    "ỦY BAN NHÂN DÂN XÃ PHÚ LỘC",
    "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG",
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
]


def vi(message: str) -> str:
    """A gettext message as the Vietnamese PDF shows it (whether translated yet or not)."""
    with translation.override("vi"):
        return gettext(message)


def pdf_text(pdf: bytes) -> str:
    """All the text of a PDF, whitespace made single spaces (lines wrap where they like)."""
    reader = PdfReader(BytesIO(pdf))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def pages(pdf: bytes) -> list:
    return PdfReader(BytesIO(pdf)).pages


def assert_official_pdf(pdf: bytes, title: str, code: str | None, *, commune=COMMUNE) -> str:
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert title in text
    assert commune in text  # with its diacritics: the bundled font has them
    for line in MASTHEAD:
        assert line in text
    if code:
        assert code in text
    assert "066060001234" not in text  # the ID number is on no form
    reader = PdfReader(BytesIO(pdf))
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    # The bundled serif, embedded (Decree 30/2020: Times New Roman or a metric-compatible one).
    assert fonts and all("Doc-Serif" in name for name in fonts), fonts
    assert "BỘ PHẬN MỘT CỬA" not in text  # the unit's name before 2025-07-01
    keep(pdf, title)
    return text


def keep(pdf: bytes, title: str) -> None:
    """With XASO_FORMS_OUT set, the PDF is written there too, to be looked at."""
    folder = os.environ.get("XASO_FORMS_OUT")
    if folder:
        letters = unicodedata.normalize("NFD", title)
        name = "".join(c for c in letters if c.isascii() and c.isalnum())
        Path(folder, f"{name[:40]}.pdf").write_bytes(pdf)


def intake(demo, token: str, **extra) -> Dossier:
    """A complete birth registration received at the desk (the demo's specialist gets it)."""
    return dossier_submit(
        actor=demo["reception"], procedure_code="1.001193", commune_code="DEMO-PL",
        channel="counter", applicant=APPLICANT, answers=birth_answers(upload(token)),
        receive=True, **extra,
    ).dossier  # fmt: skip


def online(demo, token: str) -> Dossier:
    return dossier_submit(
        actor=None, procedure_code="1.001193", commune_code="DEMO-PL", channel="online",
        applicant=APPLICANT, answers=birth_answers(upload(token)),
    ).dossier  # fmt: skip


# --- the date formulas ------------------------------------------------------------------------


def test_the_date_formulas_of_administrative_documents(demo):
    commune = Commune.objects.get(code="DEMO-PL")
    assert place_name(commune) == "Phú Lộc"
    assert date_line(commune, datetime(2026, 11, 25, 8, 0, tzinfo=VN)) == (
        "Phú Lộc, ngày 25 tháng 11 năm 2026"
    )
    # Days below 10 and the months 1 and 2 take a leading zero; Vietnam's time, not UTC.
    assert moment_words(datetime(2027, 2, 4, 23, 30, tzinfo=ZoneInfo("UTC"))) == (
        "06 giờ 30 phút, ngày 05 tháng 02 năm 2027"
    )
    assert moment_words(datetime(2026, 3, 9, 7, 5, tzinfo=VN)) == (
        "07 giờ 05 phút, ngày 09 tháng 3 năm 2026"
    )


# --- Form 01 ----------------------------------------------------------------------------------


def test_receipt_has_the_appointment_the_documents_and_the_lookup_qr_on_one_page(demo, at):
    at(2026, 11, 25, 9, 30)  # Wednesday: a same-day procedure, due 17:00
    dossier = intake(demo, "receipt-1")
    pdf = document_pdf(dossier, "receipt", base_url=BASE_URL)
    assert len(pages(pdf)) == 1
    text = assert_official_pdf(pdf, "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ", dossier.code)
    assert "Mẫu số 01" in text
    assert f"Số: {dossier.code}/TNHS" in text
    assert "Phú Lộc, ngày 25 tháng 11 năm 2026" in text
    assert "09 giờ 30 phút, ngày 25 tháng 11 năm 2026" in text  # received
    assert "17 giờ 00 phút, ngày 25 tháng 11 năm 2026" in text  # the appointment
    assert "Y Bhiơ Niê" in text and "Thôn Lộc Tân" in text and "0912345678" in text
    assert "Đăng ký khai sinh" in text
    assert "Tờ khai đăng ký khai sinh" in text and "Giấy chứng sinh" in text
    # The officer signs in his own capacity.
    assert "NGƯỜI TIẾP NHẬN HỒ SƠ (Ký, ghi rõ họ tên) Cán bộ Một cửa (demo)" in text
    assert "TM. ỦY BAN NHÂN DÂN" not in text
    assert vi("number of sets") + ": 01" in text
    assert (
        vi("The result will be received")
        + ": "
        + vi("At the desk of the %(centre)s")
        % {"centre": "Trung tâm Phục vụ hành chính công Xã Phú Lộc (demo)"}
        in text
    )
    assert vi("Entered in the dossier register (Form 07)") + ": 25/11/2026 09:30," in text
    assert dossier.lookup_secret in text
    url = lookup_url(BASE_URL, dossier)
    assert url == (
        f"https://xaso.example.vn/tra-cuu/?code={dossier.code}&secret={dossier.lookup_secret}"
    )
    assert url in text.replace(" ", "")
    assert vi("Friday without appointment") not in text

    # The QR code holds the lookup address: its modules, read back from the image, are the
    # modules of that address's code.
    expected = segno.make(url, error="m", micro=False)
    (image,) = pages(pdf)[0].images
    picture = image.image.convert("L")
    size = len(expected.matrix)
    scale = picture.width // (size + 8)  # a quiet zone of 4 modules on each side
    assert picture.width == picture.height == (size + 8) * scale
    read = [
        [picture.getpixel(((4 + x) * scale + scale // 2, (4 + y) * scale + scale // 2)) < 128
         for x in range(size)]
        for y in range(size)
    ]  # fmt: skip
    assert read == [[bool(module) for module in row] for row in expected.matrix]


def test_receipt_on_friday_carries_the_same_day_note(demo, at):
    at(2026, 11, 27, 10, 0)  # Friday before the cut-off: the demo's "không hẹn" rule
    dossier = intake(demo, "receipt-2")
    assert dossier.due_rule == "friday_same_day"
    text = pdf_text(document_pdf(dossier, "receipt", base_url=BASE_URL))
    note = vi(
        "Friday without appointment: under the commune's rule, a complete dossier received on "
        "Friday before the cut-off is processed, signed and returned the same day."
    )
    assert note in text
    assert "17 giờ 00 phút, ngày 27 tháng 11 năm 2026" in text


def test_a_long_list_of_documents_flows_on_with_the_page_number_at_the_top(demo, at):
    """At 13 pt (Decree 30/2020) a long list may need a second page: nothing is cut off, and
    page 2 carries its number centred at the top (page 1 none)."""
    at(2026, 11, 25, 9, 30)
    dossier = intake(demo, "receipt-3")
    procedure = dossier.procedure
    template = procedure.documents.get(key="to-khai")
    for number in range(8):
        template.pk = None
        template.key = f"them-{number}"
        template.position = 100 + number
        template.name = f"Giấy tờ bổ sung số {number} của người yêu cầu, bản chính và bản sao"
        template.save()
    pdf = document_pdf(dossier, "receipt", base_url=BASE_URL)
    assert "Giấy tờ bổ sung số 7" in pdf_text(pdf)
    sheets = pages(pdf)
    assert len(sheets) <= 2
    assert not sheets[0].extract_text().strip().startswith("1")
    if len(sheets) == 2:
        runs = []
        sheets[1].extract_text(
            visitor_text=lambda text, cm, tm, *_: runs.append(
                (text.strip(), cm[1] * tm[4] + cm[3] * tm[5] + cm[5])
            )
        )
        top = max((run for run in runs if run[0]), key=lambda run: run[1])
        assert top[0] == "2" and top[1] > 780  # in the top margin of an 842 pt page


# --- Forms 02 to 05 ---------------------------------------------------------------------------


def test_supplement_request_lists_every_item(demo, at):
    at(2026, 11, 25, 9, 0)
    dossier = intake(demo, "supplement-1")
    at(2026, 11, 25, 10, 0)
    items = ["Bản sao giấy chứng nhận kết hôn của cha, mẹ", "Ảnh chụp rõ nét giấy chứng sinh"]
    dossier = services.dossier_request_supplement(
        actor=demo["specialist"], dossier=dossier, items=items, note="Ảnh hiện bị mờ."
    )
    pdf = document_pdf(dossier, "supplement-request", base_url=BASE_URL)
    text = assert_official_pdf(pdf, "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ", dossier.code)
    assert all(item in text for item in items)
    assert "Ảnh hiện bị mờ." in text
    assert "Phú Lộc, ngày 25 tháng 11 năm 2026" in text
    assert "Công chức Tư pháp – Hộ tịch (demo)" in text
    assert "NGƯỜI HƯỚNG DẪN" in text  # the guiding officer, and how to reach him
    phone = demo["specialist"].phone
    assert vi("The officer guiding you") + ": Công chức Tư pháp – Hộ tịch (demo)" in text
    assert not phone or phone in text
    assert len(pages(pdf)) == 1


def test_refusal_gives_the_reason(demo, at):
    at(2026, 11, 25, 9, 0)
    dossier = online(demo, "refusal-1")
    reason = "Không thuộc thẩm quyền của Ủy ban nhân dân xã: trẻ sinh và cư trú ở tỉnh khác."
    dossier = services.dossier_refuse(actor=demo["reception"], dossier=dossier, reason=reason)
    pdf = document_pdf(dossier, "refusal", base_url=BASE_URL)
    text = assert_official_pdf(pdf, "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ", dossier.code)
    assert reason in text
    # The provisions the dossier was measured against (not the one-stop decree).
    assert vi("Under the provisions of") + ":" in text and "Luật Hộ tịch" in text
    assert "118/2025" not in text
    # Never received: no receipt and no control slip.
    assert available_documents(dossier) == ["refusal"]
    for form in ("receipt", "control-slip", "apology", "stop-notice", "supplement-request"):
        with pytest.raises(DocumentNotAvailable) as raised:
            document_pdf(dossier, form, base_url=BASE_URL)
        assert (raised.value.code, raised.value.status) == ("document_not_available", 404)


def test_apology_gives_the_reason_and_both_appointments(demo, at):
    at(2026, 11, 25, 9, 0)
    dossier = intake(demo, "apology-1")
    at(2026, 11, 25, 14, 0)
    dossier = services.dossier_extend(
        actor=demo["specialist"], dossier=dossier, reason="Cần xác minh nơi cư trú của mẹ.",
        new_due_at=datetime(2026, 11, 26, 16, 30, tzinfo=VN),
    )  # fmt: skip
    pdf = document_pdf(dossier, "apology", base_url=BASE_URL)
    text = assert_official_pdf(
        pdf, "VĂN BẢN XIN LỖI VÀ ĐỀ NGHỊ GIA HẠN THỜI GIAN GIẢI QUYẾT", dossier.code
    )
    assert "Cần xác minh nơi cư trú của mẹ." in text
    assert "17 giờ 00 phút, ngày 25 tháng 11 năm 2026" in text  # the first appointment
    assert "16 giờ 30 phút, ngày 26 tháng 11 năm 2026" in text  # the new one
    assert f"Số: {dossier.code}/XLGH" in text
    # The committee apologises through its head; the clerk who typed it does not sign "TM.".
    assert "TM. ỦY BAN NHÂN DÂN CHỦ TỊCH" in text
    assert "Công chức Tư pháp – Hộ tịch (demo)" not in text


def test_stop_notice_gives_the_withdrawal_reason(demo, at):
    at(2026, 11, 25, 9, 0)
    dossier = intake(demo, "stop-1")
    at(2026, 11, 26, 8, 0)
    dossier = services.dossier_withdraw(
        actor=demo["reception"], dossier=dossier, reason="Người yêu cầu xin rút hồ sơ."
    )
    pdf = document_pdf(dossier, "stop-notice", base_url=BASE_URL)
    text = assert_official_pdf(pdf, "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ", dossier.code)
    assert "Người yêu cầu xin rút hồ sơ." in text
    assert "Phú Lộc, ngày 26 tháng 11 năm 2026" in text
    assert available_documents(dossier) == ["receipt", "stop-notice", "control-slip"]
    assert vi("The documents you handed in are returned to you at the desk.") in text
    assert "Cán bộ Một cửa (demo)" not in text  # a clerk recorded it; the head signs


def test_stop_notice_of_a_paid_online_dossier_refunds_the_fee_and_returns_online(demo, at):
    from xaso.payments.services import cash_record

    at(2026, 11, 25, 9, 0)
    dossier = online(demo, "stop-2")
    dossier = services.dossier_receive(actor=demo["reception"], dossier=dossier)
    cash_record(actor=demo["reception"], dossier=dossier, amount=8000)
    at(2026, 11, 26, 8, 0)
    dossier = services.dossier_withdraw(
        actor=demo["reception"], dossier=dossier, reason="Người yêu cầu xin rút hồ sơ."
    )
    text = assert_official_pdf(
        document_pdf(dossier, "stop-notice", base_url=BASE_URL),
        "THÔNG BÁO DỪNG GIẢI QUYẾT HỒ SƠ",
        dossier.code,
    )
    assert vi("The fee of %(amount)s you paid is refunded to you.") % {"amount": "8.000 ₫"} in text
    assert vi("The documents you handed in are returned to you at the desk.") not in text


# --- Form 06 ----------------------------------------------------------------------------------


def test_control_slip_has_one_row_per_hand_over_with_its_mark(demo, at):
    at(2026, 11, 25, 8, 0)
    dossier = intake(demo, "control-1")
    with pytest.raises(DocumentNotAvailable):
        document_pdf(dossier, "refusal", base_url=BASE_URL)
    at(2026, 11, 25, 14, 0)
    dossier = entered(services.dossier_propose(actor=demo["specialist"], dossier=dossier))
    at(2026, 11, 25, 14, 30)
    dossier = services.dossier_approve(actor=demo["leader"], dossier=dossier)
    at(2026, 11, 25, 15, 0)
    dossier = services.dossier_return(actor=demo["reception"], dossier=dossier, channel="counter")
    pdf = document_pdf(dossier, "control-slip", base_url=BASE_URL)
    text = assert_official_pdf(pdf, "PHIẾU KIỂM SOÁT QUÁ TRÌNH GIẢI QUYẾT HỒ SƠ", dossier.code)
    for name in (
        "Cán bộ Một cửa (demo)",
        "Công chức Tư pháp – Hộ tịch (demo)",
        "Phó Chủ tịch UBND xã (demo)",
        "Y Bhiơ Niê",
    ):
        assert name in text
    # The specialist went past 11:30 (50 % of the day's 7 h from 8:00); the others on time.
    assert "25/11/2026 11:30" in text
    assert text.count(vi("Late")) >= 1 and text.count(vi("On time")) >= 3
    assert len(pages(pdf)) == 1


# --- any form ---------------------------------------------------------------------------------


def test_unknown_forms_and_filenames(demo, at):
    at(2026, 11, 25, 8, 0)
    dossier = intake(demo, "any-1")
    with pytest.raises(DomainError) as raised:
        document_pdf(dossier, "passport", base_url=BASE_URL)
    assert (raised.value.code, raised.value.status) == ("unknown_document", 404)
    assert document_filename(dossier, "receipt") == f"mau-01-{dossier.code}.pdf"
    assert sorted(FORMS) == sorted(
        ["receipt", "supplement-request", "refusal", "apology", "stop-notice", "control-slip"]
    )


# --- Form 07 ----------------------------------------------------------------------------------


@pytest.fixture
def register_world(demo, at):
    """Three dossiers of Phú Lộc in late November, one in December, one of another commune."""
    at(2026, 11, 25, 9, 0)
    returned = intake(demo, "register-1")
    at(2026, 11, 25, 10, 0)
    entered(services.dossier_propose(actor=demo["specialist"], dossier=returned))
    services.dossier_approve(actor=demo["leader"], dossier=returned)
    services.dossier_return(actor=demo["reception"], dossier=returned, channel="counter")
    at(2026, 11, 26, 8, 0)
    refused = services.dossier_refuse(
        actor=demo["reception"], dossier=online(demo, "register-2"), reason="Không thuộc thẩm quyền"
    )
    at(2026, 11, 30, 16, 50)
    overdue = intake(demo, "register-3")  # received Monday 16:50, after the cut-off: due Tuesday
    at(2026, 12, 1, 9, 0)
    december = intake(demo, "register-4")
    other_commune = Commune.objects.get(code="DEMO-TN")
    village = Village.objects.filter(commune=other_commune).values_list("code", flat=True)[0]
    answers = birth_answers(upload("register-5"))
    answers["mother_residence"] = {"province": "66", "commune": "DEMO-TN", "village": village}
    at(2026, 11, 27, 9, 0)
    other = dossier_submit(
        actor=demo["other-reception"], procedure_code="1.001193", commune_code="DEMO-TN",
        channel="counter", applicant={"full_name": "Nguyễn Văn Khác"}, answers=answers,
        receive=True,
    ).dossier  # fmt: skip
    at(2026, 12, 2, 9, 0)  # now: the Monday dossier is past its due time
    return {
        "commune": Commune.objects.get(code="DEMO-PL"),
        "november": [returned.code, refused.code, overdue.code],
        "december": december.code,
        "other": other.code,
    }


def test_register_xlsx_has_one_row_per_dossier_of_the_period_and_commune(register_world):
    commune = register_world["commune"]
    content = register_xlsx(commune, date(2026, 11, 1), date(2026, 11, 30))
    sheet = load_workbook(BytesIO(content)).active
    assert sheet["A1"].value == "SỔ THEO DÕI HỒ SƠ"
    assert sheet["A2"].value == COMMUNE
    rows = list(sheet.iter_rows(values_only=True))
    header = next(index for index, row in enumerate(rows) if row[0] == vi("No."))
    data = [row for row in rows[header + 1 :] if any(row)]
    assert [row[1] for row in data] == register_world["november"]
    assert register_world["december"] not in str(rows)
    assert register_world["other"] not in str(rows)
    by_code = {row[1]: row for row in data}
    returned, refused, overdue = (by_code[code] for code in register_world["november"])
    assert returned[2] == "1.001193" and returned[3] == "Đăng ký khai sinh"
    assert returned[4] == "Y Bhiơ Niê"
    assert returned[5] == datetime(2026, 11, 25, 9, 0)  # local time, a real date
    assert returned[6] == datetime(2026, 11, 25, 17, 0)
    assert returned[9] == vi("On time")
    assert refused[5] is None and refused[9] is None  # never received: no due time, no verdict
    assert overdue[9] == vi("Late")  # still open, past its due time
    assert "066060001234" not in str(rows)


def test_register_pdf_is_landscape_and_lists_the_period(register_world):
    commune = register_world["commune"]
    pdf = register_pdf(commune, date(2026, 11, 1), date(2026, 11, 30))
    text = assert_official_pdf(pdf, "SỔ THEO DÕI HỒ SƠ", None)
    assert all(code in text for code in register_world["november"])
    assert register_world["december"] not in text and register_world["other"] not in text
    assert "Mẫu số 07" in text
    first = pages(pdf)[0]
    assert first.mediabox.width > first.mediabox.height  # A4 landscape


def test_register_period_is_checked(register_world):
    commune = register_world["commune"]
    with pytest.raises(DomainError) as raised:
        register_rows(commune, date(2026, 12, 1), date(2026, 11, 1))
    assert raised.value.code == "invalid_range"
    with pytest.raises(DomainError) as raised:
        register_rows(commune, date(2025, 1, 1), date(2026, 12, 31))
    assert raised.value.code == "range_too_long"
    assert [row.code for row in register_rows(commune, date(2026, 12, 1), date(2026, 12, 1))] == [
        register_world["december"]
    ]
